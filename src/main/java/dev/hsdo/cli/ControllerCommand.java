package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code hsdo controller}: fleet mode, the side that reads the sources and publishes the plan. */
@Command(name = "controller", description = "Runs a fleet controller: reads the sources and, while it leads, publishes the plan to the shared store.")
final class ControllerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    HsdoEnvOption hsdo;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = hsdo.load(config, HsdoEnv.Role.CONTROLLER, System.getenv());
        ControllerNode node = ControllerNode.start(c, Clock.systemUTC());
        return Foreground.until(spec, node, "hsdo controller " + c.fleet().controllerId() + " running on " + c.store().type()
                + ", admin " + Foreground.admin(node.adminPort()));
    }
}
