package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import picocli.CommandLine.Command;

import java.time.Clock;

/** {@code hsdo controller}: fleet mode, the side that reads the sources and publishes the plan. */
@Command(name = "controller", description = "Runs a fleet controller: reads the sources and, while it leads, publishes the plan to the shared store.")
final class ControllerCommand extends FleetCommand {
    ControllerCommand() {
        super(HsdoEnv.Role.CONTROLLER);
    }

    @Override
    Node start(HsdoConfig config, Clock clock) throws Exception {
        return ControllerNode.start(config, clock);
    }

    @Override
    String id(HsdoConfig config) {
        return config.fleet().controllerId();
    }
}
