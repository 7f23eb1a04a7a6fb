package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

/** What {@code hsdo controller} and {@code hsdo agent} share: their options, and running a node until stopped. */
abstract class FleetCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    HsdoEnvOption hsdo;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final HsdoEnv.Role role;

    FleetCommand(HsdoEnv.Role role) {
        this.role = role;
    }

    /** Starts this command's node on {@code config}. */
    abstract Node start(HsdoConfig config, Clock clock) throws Exception;

    /** This node's id in the fleet, for the banner. */
    abstract String id(HsdoConfig config);

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = hsdo.load(config, role, System.getenv());
        Node node = start(c, Clock.systemUTC());
        return Foreground.until(spec, node, "hsdo " + spec.name() + " " + id(c) + " running on " + c.store().type()
                + ", admin " + Foreground.admin(node.adminPort()));
    }
}
