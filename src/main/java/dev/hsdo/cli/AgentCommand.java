package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code hsdo agent}: fleet mode, the side beside each HAProxy that applies the published plan. */
@Command(name = "agent", description = "Runs a fleet agent: follows the plan in the shared store and keeps its HAProxy on it.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    HsdoEnvOption hsdo;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = hsdo.load(config, HsdoEnv.Role.AGENT, System.getenv());
        AgentNode node = AgentNode.start(c, Clock.systemUTC());
        return Foreground.until(spec, node, "hsdo agent " + c.fleet().agentId() + " running on " + c.store().type()
                + ", admin " + Foreground.admin(node.adminPort()));
    }
}
