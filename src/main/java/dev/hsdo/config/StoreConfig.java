package dev.hsdo.config;

import java.nio.file.Path;

/**
 * Where plans are kept.
 *
 * @param type store kind; {@code file} is the embedded default
 * @param path the plan file for the file store
 */
public record StoreConfig(String type, Path path) {
}
