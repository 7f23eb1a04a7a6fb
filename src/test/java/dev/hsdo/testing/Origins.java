package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tiny HTTP origins for tests: one separate HAProxy process with a frontend per name, each on its own free
 * loopback port and answering {@code 200 "<name>\n"} to every request. It lives in {@code dir/origins}, so it
 * can share a temp dir with a {@link HaproxyFixture}.
 */
public final class Origins implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final HaproxyFixture process;
    private final Map<String, Integer> ports;

    private Origins(HaproxyFixture process, Map<String, Integer> ports) {
        this.process = process;
        this.ports = ports;
    }

    /** Starts one origin per name (letters, digits, {@code _ . -}); returns once all answer. */
    public static Origins start(Path dir, String... names) {
        if (names.length == 0) throw new IllegalArgumentException("at least one origin name is needed");
        Map<String, String> binds = new LinkedHashMap<>();
        for (String name : names) binds.put(name, "127.0.0.1:${port:" + name + "}");
        return start(dir, binds);
    }

    /**
     * Starts one origin per name, all on {@code port}, each at its own loopback address ({@code name → 127.0.0.N}),
     * as servers of one Auto Scaling group that share a port but not an address.
     */
    public static Origins onOnePort(Path dir, int port, Map<String, String> addresses) {
        Map<String, String> binds = new LinkedHashMap<>();
        addresses.forEach((name, address) -> {
            if (!address.startsWith("127.")) throw new IllegalArgumentException("origin " + name + " must be on loopback, not " + address);
            binds.put(name, address + ":" + port);
        });
        return start(dir, binds);
    }

    private static Origins start(Path dir, Map<String, String> binds) {
        StringBuilder sections = new StringBuilder(HaproxyFixture.HTTP_DEFAULTS);
        binds.forEach((name, bind) -> {
            if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("origin name '" + name + "' must match " + NAME);
            sections.append("frontend origin_").append(name).append('\n')
                    .append("  bind ").append(bind).append('\n')
                    .append("  http-request return status 200 content-type text/plain string \"").append(name).append("\\n\"\n");
        });
        Path home = dir.resolve("origins");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + home, e);
        }
        HaproxyFixture process = HaproxyFixture.start(home, sections.toString());
        Map<String, Integer> ports = new LinkedHashMap<>();
        binds.forEach((name, bind) -> ports.put(name, bind.contains("${port:") ? process.port(name)
                : Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1))));
        return new Origins(process, ports);
    }

    /** The port of origin {@code name}. */
    public int port(String name) {
        Integer p = ports.get(name);
        if (p == null) throw new IllegalArgumentException("no origin named '" + name + "'; known: " + ports.keySet());
        return p;
    }

    /** Name → port, in the order given to {@link #start}. */
    public Map<String, Integer> ports() {
        return java.util.Collections.unmodifiableMap(ports);
    }

    /** The names, in the order given to {@link #start}. */
    public List<String> names() {
        return List.copyOf(ports.keySet());
    }

    /** The HAProxy process serving the origins (for kill9, pid, ...). */
    public HaproxyFixture process() {
        return process;
    }

    /** Stops the origins' process (by PID) and waits for it to exit. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
