package dev.hsdo.config;

/**
 * The mass-removal guard.
 *
 * @param maxRemovalFraction a change removing more than this fraction of a backend's serving servers at
 *                           once is held back (0 &lt; f &le; 1; 1 disables the guard)
 */
public record GuardConfig(double maxRemovalFraction) {
}
