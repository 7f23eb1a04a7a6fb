package dev.hsdo.config;

import java.time.Duration;

/**
 * Slow start, as HSDO did it: a server that joins a serving backend starts at {@code min}/{@code max} of its
 * weight and gains {@code increase}/{@code max} every {@code interval} until it reaches its full weight.
 *
 * @param enabled  ramp new servers up
 * @param min      first step (1..max)
 * @param max      number of steps to full weight
 * @param increase steps gained per interval (>= 1)
 * @param interval time between steps
 */
public record SlowStartConfig(boolean enabled, int min, int max, int increase, Duration interval) {
    /** HSDO's values (min 1, max 10, increase 1, every 30 s), off. */
    public static SlowStartConfig off() {
        return new SlowStartConfig(false, 1, 10, 1, Duration.ofSeconds(30));
    }
}
