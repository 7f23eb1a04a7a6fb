package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.SidecarEnv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hsdo validate}: checks hsdo.yaml and the environment overrides. */
@Command(name = "validate", description = {"Checks hsdo.yaml (and HSDO_* overrides); exit 0 when valid, 2 with every error otherwise.",
        "With --sidecar: checks the environment as `hsdo sidecar` reads it instead (no config file)."})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--sidecar", description = "check the environment (DISCOVERY_*, HAPROXY_*, HSDO_DATA_DIR, ...) "
            + "as `hsdo sidecar` reads it, e.g. a systemd EnvironmentFile, rather than a config file")
    boolean sidecar;

    @Override
    public Integer call() {
        if (sidecar) {
            SidecarEnv.Parsed p = SidecarEnv.parse(System.getenv());
            spec.commandLine().getOut().printf("environment: valid for hsdo sidecar (frontend %s, data in %s)%n",
                    p.config().frontends().get(0).bind(), p.dataDir());
            return 0;
        }
        HsdoConfig c = config.load();
        spec.commandLine().getOut().printf("%s: valid (%d frontends, %d backends, %d sources)%n", config.path(),
                c.frontends().size(), c.backends().size(), c.sources().size());
        return 0;
    }
}
