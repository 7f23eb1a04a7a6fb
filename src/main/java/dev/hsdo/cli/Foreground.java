package dev.hsdo.cli;

import picocli.CommandLine;

import java.util.concurrent.CountDownLatch;

/** Keeps a command running until the process is asked to stop, then closes what it started. */
final class Foreground {
    private Foreground() {}

    /** Prints {@code banner}, waits for SIGTERM/SIGINT and closes {@code running}; returns the exit code. */
    static int until(CommandLine.Model.CommandSpec spec, AutoCloseable running, String banner) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                spec.commandLine().getErr().println("hsdo: stopping failed: " + e);
            }
            stopped.countDown();
        }, "hsdo-shutdown"));
        spec.commandLine().getOut().println(banner);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** The admin address for a banner. */
    static String admin(int port) {
        return port < 0 ? "disabled" : "http://127.0.0.1:" + port;
    }
}
