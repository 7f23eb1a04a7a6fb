package dev.hsdo.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantsConfigTest {
    private static final String BASE = """
            frontends: [{name: fe, bind: "127.0.0.1:8080", default-backend: be1}]
            backends:
              - {name: be1, sources: [s]}
              - {name: be2, sources: [s]}
            sources: [{name: s, type: file, path: servers.yaml}]
            """;

    private static HsdoConfig parse(String tenants) {
        return ConfigLoader.parse(BASE + "tenants:\n" + tenants, Path.of("/etc/hsdo"), Map.of(), "hsdo.yaml");
    }

    @Test
    void defaultsAreTheUsernameCookieTheDefaultShardAndTheAdminApi() {
        TenantsConfig t = parse("  shards: {b: be2, a: be1}\n").tenants();
        assertThat(t.frontends()).containsExactly("fe");
        assertThat(t.key()).isEqualTo(new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "username", 0, 0, 0));
        assertThat(t.shards()).containsExactly(Map.entry("a", "be1"), Map.entry("b", "be2"));
        assertThat(t.unknown()).isEqualTo(TenantsConfig.Unknown.DEFAULT);
        assertThat(t.defaultShard()).isEqualTo("a");
        assertThat(t.source().kind()).isEqualTo(TenantsConfig.SourceKind.API);
        assertThat(t.mapFile().toString()).endsWith("/run/tenants.map");
        assertThat(t.verifyInterval()).isEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void theVerifyIntervalIsReadAndZeroIsRefusedNamingTheKey() {
        assertThat(parse("  shards: {a: be1}\n  verify-interval: 5m\n").tenants().verifyInterval())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThatThrownBy(() -> parse("  shards: {a: be1}\n  verify-interval: 0s\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants.verify-interval: invalid duration '0s'");
    }

    @Test
    void aFileSourceAndAHeaderKeyAreRead() {
        TenantsConfig t = parse("""
                  key: {header: X-Tenant}
                  shards: {a: be1}
                  unknown: hash
                  source: {type: file, path: tenants.csv}
                """).tenants();
        assertThat(t.key().kind()).isEqualTo(TenantsConfig.KeyKind.HEADER);
        assertThat(t.unknown()).isEqualTo(TenantsConfig.Unknown.HASH);
        assertThat(t.source().path()).isEqualTo(Path.of("/etc/hsdo/tenants.csv"));
    }

    @Test
    void everyProblemNamesItsKeyAndValue() {
        assertThatThrownBy(() -> parse("""
                  frontends: [nope]
                  key: {cookie: "a)b", header: X}
                  shards: {"bad name": be1, s2: missing}
                  default-shard: zz
                  unknown: sometimes
                  source: {type: ftp}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants.frontends: unknown frontend 'nope'")
                .hasMessageContaining("tenants.key: exactly one of")
                .hasMessageContaining("invalid shard name 'bad name'")
                .hasMessageContaining("tenants.shards.s2: unknown backend 'missing'")
                .hasMessageContaining("tenants.unknown: invalid value 'sometimes'")
                .hasMessageContaining("tenants.source.type: unknown table source 'ftp'");
    }
}
