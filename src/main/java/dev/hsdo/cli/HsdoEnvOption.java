package dev.hsdo.cli;

import ch.qos.logback.classic.Level;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fleet commands' choice between {@code hsdo.yaml} and HSDO's environment variables ({@link HsdoEnv}):
 * the variables are read with {@code --hsdo-env}, or when no configuration file is given or present and
 * the environment is an HSDO deployment's.
 */
final class HsdoEnvOption {
    private static final Logger log = LoggerFactory.getLogger(HsdoEnvOption.class);

    @Option(names = "--hsdo-env", description = "configure from HSDO's environment variables (SERVER_MODE, CLIENT_HAPROXY_BACKEND_NAME, ...)"
            + " instead of hsdo.yaml; implied when no hsdo.yaml is given or present and SERVER_MODE, CLIENT_HAPROXY_SOCKET_PATH"
            + " or CLIENT_HAPROXY_BACKEND_NAME is set")
    boolean hsdoEnv;

    /** The configuration for {@code role}, from the file or from HSDO's variables. */
    HsdoConfig load(ConfigOption file, HsdoEnv.Role role, Map<String, String> env) {
        if (!use(file, env)) return file.load();
        HsdoEnv.Parsed p = HsdoEnv.parse(env, role, Path.of("").toAbsolutePath());
        if (p.debug()) ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        for (String w : p.warnings()) log.warn(w);
        log.info("configured from HSDO's environment variables");
        return p.config();
    }

    private boolean use(ConfigOption file, Map<String, String> env) {
        if (hsdoEnv) return true;
        boolean fileNamed = file.config != null || (env.get("HSDO_CONFIG") != null && !env.get("HSDO_CONFIG").isBlank());
        return !fileNamed && !Files.exists(file.path()) && HsdoEnv.present(env);
    }
}
