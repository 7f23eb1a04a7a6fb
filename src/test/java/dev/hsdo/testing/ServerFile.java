package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a servers file for the file source the way an operator's tool would: aside, then rename. */
public final class ServerFile {
    private ServerFile() {}

    /** Replaces {@code file} with these YAML entries (each the inside of a flow mapping). */
    public static void write(Path file, List<String> entries) {
        StringBuilder b = new StringBuilder("servers:\n");
        for (String e : entries) b.append("  - {").append(e).append("}\n");
        writeRaw(file, b.toString());
    }

    /** Replaces {@code file} with {@code text}. */
    public static void writeRaw(Path file, String text) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".servers", ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
