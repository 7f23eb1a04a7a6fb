package dev.hsdo.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The command-line arguments of the plain-main benchmarks: a work directory, then optional counts. */
final class Args {
    private Args() {}

    /** The work directory ({@code args[0]}), created if missing. */
    static Path workDir(String[] args, String usage) throws java.io.IOException {
        if (args.length < 1) throw new IllegalArgumentException("usage: " + usage);
        return Files.createDirectories(Path.of(args[0]));
    }

    /** {@code args[index]} as a positive integer, or {@code fallback} when absent. */
    static int positive(String[] args, int index, String name, int fallback) {
        if (args.length <= index) return fallback;
        try {
            int v = Integer.parseInt(args[index]);
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // reported below with the argument's name
        }
        throw new IllegalArgumentException(name + " (argument " + (index + 1) + "): invalid value '" + args[index]
                + "' (a positive integer)");
    }
}
