package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.HsdoEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HsdoEnvOptionTest {
    private static final Map<String, String> HSDO = Map.of("CLIENT_HAPROXY_BACKEND_NAME", "http-back",
            "CLIENT_HAPROXY_BACKEND_BASE_NAME", "mywebapp", "DYNAMODB_TABLE_NAME", "hsdo-table");

    @TempDir
    Path dir;

    @Test
    void hsdoVariablesConfigureTheAgentWhenNoConfigFileIsGiven() {
        assertThat(new ConfigOption().path()).as("no ./hsdo.yaml where the tests run").doesNotExist();
        assertThat(new HsdoEnvOption().load(new ConfigOption(), HsdoEnv.Role.AGENT, HSDO).backend("http-back").slots().count())
                .isEqualTo(10);
    }

    @Test
    void aGivenConfigFileWinsUnlessTheFlagIsSet() throws Exception {
        ConfigOption file = new ConfigOption();
        file.config = Files.writeString(dir.resolve("hsdo.yaml"), "backends: [{name: from-file, sources: [s]}]\n"
                + "sources: [{name: s, path: servers.yaml}]\nfleet: {haproxy-socket: /run/x.sock}\n");
        assertThat(new HsdoEnvOption().load(file, HsdoEnv.Role.AGENT, HSDO).backend("from-file")).isNotNull();
        HsdoEnvOption flag = new HsdoEnvOption();
        flag.hsdoEnv = true;
        assertThat(flag.load(file, HsdoEnv.Role.AGENT, HSDO).backend("http-back")).isNotNull();
    }

    @Test
    void withoutHsdoVariablesTheMissingFileIsTheError() {
        assertThatThrownBy(() -> new HsdoEnvOption().load(new ConfigOption(), HsdoEnv.Role.AGENT, Map.of("DYNAMODB_TABLE_NAME", "t")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hsdo.yaml: file not found");
    }
}
