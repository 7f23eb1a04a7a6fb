package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option shared by the commands that read {@code hsdo.yaml}. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, description = "hsdo.yaml (default: $HSDO_CONFIG, else ./hsdo.yaml)")
    Path config;

    Path path() {
        if (config != null) return config;
        String env = System.getenv("HSDO_CONFIG");
        return Path.of(env != null && !env.isBlank() ? env : "hsdo.yaml");
    }

    HsdoConfig load() {
        return ConfigLoader.load(path(), System.getenv());
    }
}
