package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code show table} as HAProxy 2.6 and 3.0 print it. */
class TableParserTest {
    @Test
    void anEntryOf26GivesItsKeyServerIdAndServerKey() {
        String out = """
                # table: be, type: integer, size:2, used:1
                0x55d3a59e7ff0: key=1 use=0 exp=0 server_id=202 server_key=n2

                """;
        assertThat(TableParser.parse(out)).containsExactly(new StickEntry("1", 202, "n2"));
    }

    @Test
    void the30ShardFieldAndOtherDataTypesAreSkipped() {
        String out = """
                # table: galera, type: integer, size:2, used:1
                0x7f1c2c0a1b20: key=1 use=0 exp=0 shard=0 server_id=101 conn_cnt=4 server_key=node1
                """;
        assertThat(TableParser.parse(out)).containsExactly(new StickEntry("1", 101, "node1"));
    }

    @Test
    void anEmptyTableHasNoEntriesAndAnEntryWithoutServerKeyHasNull() {
        assertThat(TableParser.parse("# table: be, type: integer, size:2, used:0\n\n")).isEmpty();
        assertThat(TableParser.parse("# table: be, type: integer, size:2, used:1\n0x1: key=1 use=0 exp=0 server_id=7\n"))
                .containsExactly(new StickEntry("1", 7, null));
    }

    @Test
    void aLineThatIsNoEntryOrABadServerIdIsMalformed() {
        assertThatThrownBy(() -> TableParser.parse("Unknown table name\n")).isInstanceOf(MalformedOutputException.class);
        assertThatThrownBy(() -> TableParser.parse("0x1: key=1 server_id=x\n")).isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("server_id");
        assertThatThrownBy(() -> TableParser.parse("0x1: use=0\n")).isInstanceOf(MalformedOutputException.class);
    }
}
