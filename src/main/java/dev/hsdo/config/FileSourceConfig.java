package dev.hsdo.config;

import java.nio.file.Path;

/**
 * A YAML or JSON file of endpoints, watched for changes.
 *
 * @param name source name
 * @param path the file (resolved against the config file's directory)
 */
public record FileSourceConfig(String name, Path path) implements SourceConfig {
}
