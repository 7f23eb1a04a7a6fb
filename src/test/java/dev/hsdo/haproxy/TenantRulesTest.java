package dev.hsdo.haproxy;

import dev.hsdo.config.TenantsConfig;
import dev.hsdo.model.TenantTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TenantRulesTest {
    private static TenantsConfig config(TenantsConfig.Key key, TenantsConfig.Unknown unknown) {
        return new TenantsConfig(List.of("fe"), key, new TreeMap<>(Map.of("s2", "be2", "s1", "be1")), unknown,
                unknown == TenantsConfig.Unknown.DEFAULT ? "s1" : null,
                new TenantsConfig.Source(TenantsConfig.SourceKind.API, null, List.of(), null), Path.of("/run/t.map"));
    }

    @Test
    void eachKeyKindReadsTheTenantFromItsPlace() {
        assertThat(TenantRules.fetch(new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "username", 0, 0, 0))).isEqualTo("req.cook(username)");
        assertThat(TenantRules.fetch(new TenantsConfig.Key(TenantsConfig.KeyKind.HEADER, "X-Tenant", 0, 0, 0))).isEqualTo("req.hdr(X-Tenant)");
        assertThat(TenantRules.fetch(new TenantsConfig.Key(TenantsConfig.KeyKind.QUERY, "t", 0, 0, 0))).isEqualTo("url_param(t)");
        assertThat(TenantRules.fetch(new TenantsConfig.Key(TenantsConfig.KeyKind.PATH_SEGMENT, null, 1, 0, 0))).isEqualTo("path,field(2,/)");
        assertThat(TenantRules.fetch(new TenantsConfig.Key(TenantsConfig.KeyKind.ID_BITS, "X-Id", 0, 40, 8)))
                .isEqualTo("req.hdr(X-Id),div(1099511627776),mod(256)");
    }

    @Test
    void unknownTenantsGoToTheDefaultShardThroughTheMapsDefaultValue() {
        assertThat(TenantRules.lines(config(new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "u", 0, 0, 0), TenantsConfig.Unknown.DEFAULT)))
                .containsExactly("use_backend %[req.cook(u),map(/run/t.map,be1)] if { req.cook(u) -m found }");
    }

    @Test
    void hashPlacementTriesTheMapFirstThenCrc32OverTheShardsSortedByName() {
        assertThat(TenantRules.lines(config(new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "u", 0, 0, 0), TenantsConfig.Unknown.HASH)))
                .containsExactly("use_backend %[req.cook(u),map(/run/t.map)] if { req.cook(u),map(/run/t.map) -m found }",
                        "use_backend be1 if { req.cook(u),crc32,mod(2) eq 0 }",
                        "use_backend be2 if { req.cook(u),crc32,mod(2) eq 1 }");
    }

    @Test
    void theMapFileHoldsOneTenantBackendLinePerEntrySortedByTenant() {
        TenantTable t = new TenantTable(Map.of("zed", "s2", "amy", "s1"), List.of());
        assertThat(TenantRules.mapText(config(new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "u", 0, 0, 0),
                TenantsConfig.Unknown.DEFAULT), t)).isEqualTo("amy be1\nzed be2\n");
    }

    @Test
    void payloadCommandsCarryOnlyKeyValueLinesAndStayWithinTheCliBuffer() {
        String ok = Commands.payload("add map @3 /run/t.map <<", List.of("a be1", "b be2"));
        assertThat(ok).isEqualTo("add map @3 /run/t.map <<\na be1\nb be2\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Commands.payload("add map @3 /run/t.map <<", List.of("a be1", "")))
                .hasMessageContaining("not one 'key value' pair");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Commands.payload("add map @3 /run/t.map <<", List.of("a;b be1")))
                .hasMessageContaining("refused");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Commands.requireSafe("show map\nshow info"))
                .hasMessageContaining("line break");
        List<String> many = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "tenant" + i + " be1").toList();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Commands.payload("add map @3 /run/t.map <<", many))
                .hasMessageContaining("payload longer than");
    }

    @Test
    void theMapListingGivesEachMapsVersionAndEntryCount() {
        Map<String, MapInfo> maps = MapInfo.parse("""
                # id (file) description
                0 (/run/t.map) pattern loaded from file '/run/t.map' used by map at file 'h.cfg' line 10. curr_ver=2 next_ver=2 entry_cnt=100000
                """);
        assertThat(maps).containsEntry("/run/t.map", new MapInfo("/run/t.map", 2, 100_000));
    }

    @Test
    void payloadPromptsAreNotMistakenForAnError() {
        assertThat(Replies.classify("add map @1 /run/t.map <<\na be1\n", "+ + \n").ok()).isTrue();
        assertThat(Replies.classify("add map @1 /run/t.map <<\na be1\n", "+ Unknown map identifier\n").ok()).isFalse();
    }
}
