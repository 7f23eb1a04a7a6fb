package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code hsdo run}: standalone mode, controller and agent for the local HAProxy. */
@Command(name = "run", description = "Runs hsdo standalone: watches the sources and keeps its own HAProxy on the plan.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = config.load();
        Standalone s = Standalone.start(c, Clock.systemUTC());
        return serve(s, spec.commandLine().getOut(), String.format("hsdo running: %d frontends, admin %s", c.frontends().size(),
                s.adminPort() < 0 ? "disabled" : "http://127.0.0.1:" + s.adminPort()));
    }

    /** Prints {@code banner}, then waits until the JVM is asked to stop and closes {@code running} first. */
    static int serve(AutoCloseable running, PrintWriter out, String banner) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("hsdo: stopping failed: " + e);
            }
            stopped.countDown();
        }, "hsdo-shutdown"));
        out.println(banner);
        out.flush();
        stopped.await();
        return 0;
    }
}
