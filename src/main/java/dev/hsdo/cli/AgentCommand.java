package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import picocli.CommandLine.Command;

import java.time.Clock;

/** {@code hsdo agent}: fleet mode, the side beside each HAProxy that applies the published plan. */
@Command(name = "agent", description = "Runs a fleet agent: follows the plan in the shared store and keeps its HAProxy on it.")
final class AgentCommand extends FleetCommand {
    AgentCommand() {
        super(HsdoEnv.Role.AGENT);
    }

    @Override
    Node start(HsdoConfig config, Clock clock) throws Exception {
        return AgentNode.start(config, clock);
    }

    @Override
    String id(HsdoConfig config) {
        return config.fleet().agentId();
    }
}
