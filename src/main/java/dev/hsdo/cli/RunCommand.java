package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            stopped.countDown();
        }, "hsdo-shutdown"));
        spec.commandLine().getOut().printf("hsdo running: %d frontends, admin %s%n", c.frontends().size(),
                s.adminPort() < 0 ? "disabled" : "http://127.0.0.1:" + s.adminPort());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
