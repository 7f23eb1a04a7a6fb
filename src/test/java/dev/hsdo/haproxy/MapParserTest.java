package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapParserTest {
    @Test
    void readsReferenceKeyAndValue() {
        // Captured from HAProxy 2.6.12: show map /tmp/exp/shards.map
        assertThat(MapParser.parse("0x55debdcbae00 alice be\n0x55debdcbae90 bob be2\n")).containsExactly(
                new MapEntry("0x55debdcbae00", "alice", "be"), new MapEntry("0x55debdcbae90", "bob", "be2"));
    }

    @Test
    void valueKeepsItsSpacesAndEmptyMapIsEmpty() {
        assertThat(MapParser.parse("0x7f84f8039d90 dave shard two\n").getFirst().value()).isEqualTo("shard two");
        assertThat(MapParser.parse("")).isEmpty();
    }

    @Test
    void lineThatIsNotAnEntryIsReportedWithItsNumber() {
        assertThatThrownBy(() -> MapParser.parse("0x55debdcbae00 alice be\nUnknown map identifier. Please use #<id> or <file>.\n"))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("show map, line 2: expected '<ref> <key> <value>'");
    }

    @Test
    void mapReferencesAreFileNamesIdsOrVersions() {
        assertThat(MapParser.isMapRef("/etc/haproxy/shards.map")).isTrue();
        assertThat(MapParser.isMapRef("#2")).isTrue();
        assertThat(MapParser.isMapRef("@3 /etc/haproxy/shards.map")).isTrue();
        assertThat(MapParser.isMapRef("/etc/haproxy/my shards.map")).isFalse();
        assertThat(MapParser.isMapRef("/m.map;clear map /m.map")).isFalse();
        assertThat(MapParser.isMapRef("")).isFalse();
        assertThat(MapParser.isMapRef(null)).isFalse();
    }
}
