package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code hsdo validate}: checks hsdo.yaml and the environment overrides. */
@Command(name = "validate", description = "Checks hsdo.yaml (and HSDO_* overrides); exit 0 when valid, 2 with every error otherwise.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        HsdoConfig c = config.load();
        spec.commandLine().getOut().printf("%s: valid (%d frontends, %d backends, %d sources)%n", config.path(),
                c.frontends().size(), c.backends().size(), c.sources().size());
        return 0;
    }
}
