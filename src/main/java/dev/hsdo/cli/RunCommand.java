package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

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
        return Foreground.until(spec, s, "hsdo running: " + c.frontends().size() + " frontends, admin "
                + Foreground.admin(s.adminPort()));
    }
}
