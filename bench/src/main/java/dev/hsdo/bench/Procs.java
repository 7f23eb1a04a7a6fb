package dev.hsdo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What {@code /proc} says about a process, and signals sent to one by its PID. */
final class Procs {
    private static final long SELF = ProcessHandle.current().pid();

    private Procs() {}

    /** Sends {@code signal} (e.g. {@code KILL}, {@code STOP}, {@code CONT}) to {@code pid}; false when kill refused. */
    static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command line of {@code pid} with its arguments joined by spaces, or "" when it is gone. */
    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /** The PIDs (not this JVM) whose command line contains {@code fragment}. */
    static List<Long> withArgument(String fragment) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : all) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != SELF && cmdline(pid).contains(fragment)) pids.add(pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    /** The HAProxy processes started from {@code config}: masters and workers. */
    static List<Long> haproxies(Path config) {
        return withArgument("-f " + config).stream().filter(pid -> cmdline(pid).split(" ")[0].endsWith("haproxy")).toList();
    }

    /** Of {@code haproxies}, those whose parent is not one of them: the masters. */
    static List<Long> masters(List<Long> haproxies) {
        Set<Long> set = new HashSet<>(haproxies);
        return haproxies.stream().filter(pid -> !set.contains(parent(pid))).toList();
    }

    static long parent(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** Resident set size in kB, or -1 when the process is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException gone) {
            // below
        }
        return -1;
    }

    /** How many file descriptors {@code pid} has open, or -1 when it is gone. */
    static long openFds(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | java.io.UncheckedIOException gone) {
            return -1;
        }
    }

    /** User + system CPU time in clock ticks, or -1 when the process is gone. */
    static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    // The fields of /proc/PID/stat after the command name (which may hold spaces): f[0] is the state (field 3).
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /**
     * SIGKILLs every process whose command line names {@code dir} (everything the benchmark started there, and
     * HAProxy processes hsdo left behind), twice, since a supervisor may start one more between rounds.
     * Returns how many it killed.
     */
    static int sweep(Path dir) {
        int killed = 0;
        for (int round = 0; round < 2; round++) {
            for (long pid : withArgument(dir.toString())) if (signal(pid, "KILL")) killed++;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return killed;
    }
}
