package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatCsvParserTest {
    private static final List<StatRow> ROWS = StatCsvParser.parse(Captured.read("show-stat.txt"));
    private static final Map<String, StatRow> BY_NAME = ROWS.stream()
            .collect(Collectors.toMap(r -> r.proxy() + "/" + r.service(), Function.identity()));

    @Test
    void readsFrontendsBackendsAndServers() {
        assertThat(ROWS).hasSize(16);
        assertThat(ROWS).filteredOn(StatRow::isFrontend).extracting(StatRow::proxy).containsExactly("fe", "origin_a1", "origin_a2");
        assertThat(ROWS).filteredOn(StatRow::isBackend).extracting(StatRow::proxy).containsExactly("app", "static", "empty");
        assertThat(ROWS).filteredOn(StatRow::isServer).hasSize(10);
    }

    @Test
    void serverColumnsAreTyped() {
        StatRow a1 = BY_NAME.get("app/a1");
        assertThat(a1.status()).isEqualTo("UP");
        assertThat(a1.weight()).isEqualTo(10);
        assertThat(a1.totalSessions()).isEqualTo(4);
        assertThat(a1.maxSessions()).isEqualTo(1);
        assertThat(a1.sessionLimit()).isZero();
        assertThat(a1.field("check_status")).isEqualTo("L7OK");
        assertThat(a1.field("check_desc")).isEqualTo("Layer7 check passed");

        StatRow limited = BY_NAME.get("app/a2");
        assertThat(limited.status()).isEqualTo("DRAIN");
        assertThat(limited.sessionLimit()).isEqualTo(5);
        assertThat(limited.weight()).isEqualTo(20);

        StatRow dynamic = BY_NAME.get("app/dyn1");
        assertThat(dynamic.sessionLimit()).isEqualTo(3);
        assertThat(dynamic.weight()).isEqualTo(7);
        assertThat(dynamic.field("sid")).isEqualTo("1001");

        assertThat(BY_NAME.get("app/slot2").status()).isEqualTo("MAINT");
        assertThat(BY_NAME.get("app/a3").status()).isEqualTo("no check");
        assertThat(BY_NAME.get("static/b2").field("addr")).isEqualTo("[::1]:54481");
        assertThat(BY_NAME.get("static/b2").field("bck")).isEqualTo("1");
    }

    @Test
    void everyNamedColumnReadsAsAPlainMapThatEqualsACopy() {
        StatRow a1 = BY_NAME.get("app/a1");
        Map<String, String> copy = new java.util.HashMap<>(a1.fields());
        assertThat(copy).containsEntry("pxname", "app").containsEntry("svname", "a1").doesNotContainKey("");
        assertThat(a1.fields()).isEqualTo(copy).hasSameHashCodeAs(copy).hasSize(copy.size());
        assertThat(a1.field("no_such_column")).isNull();
        assertThat(new StatRow(a1.proxy(), a1.service(), a1.status(), a1.currentSessions(), a1.maxSessions(),
                a1.sessionLimit(), a1.weight(), a1.currentQueue(), a1.totalSessions(), copy)).isEqualTo(a1);
    }

    @Test
    void aLineWithAQuotedFieldReadsLikeTheSameLineWithout() {
        String quoted = Captured.read("show-stat.txt").replace("Layer7 check passed", "\"Layer7, \"\"check\"\" passed\"");
        StatRow a1 = StatCsvParser.parse(quoted).stream().filter(r -> r.service().equals("a1")).findFirst().orElseThrow();
        assertThat(a1.field("check_desc")).isEqualTo("Layer7, \"check\" passed");
        Map<String, String> others = new java.util.HashMap<>(a1.fields());
        others.put("check_desc", "Layer7 check passed");
        assertThat(others).isEqualTo(BY_NAME.get("app/a1").fields());
    }

    @Test
    void aggregateLinesCarryTheirLimits() {
        assertThat(BY_NAME.get("fe/FRONTEND").sessionLimit()).isEqualTo(9984);
        assertThat(BY_NAME.get("fe/FRONTEND").status()).isEqualTo("OPEN");
        assertThat(BY_NAME.get("app/BACKEND").weight()).isEqualTo(23);
        assertThat(BY_NAME.get("app/BACKEND").field("algo")).isEqualTo("uri");
    }

    @Test
    void quotedFieldsMayHoldCommasAndQuotes() {
        assertThat(StatCsvParser.split("a,\"b,c\",\"say \"\"hi\"\"\",", 1, "")).containsExactly("a", "b,c", "say \"hi\"", "");
    }

    @Test
    void malformedLinesAreReportedWithTheirNumber() {
        String header = Captured.read("show-stat.txt").lines().findFirst().orElseThrow();
        assertThatThrownBy(() -> StatCsvParser.parse("No such backend.\n")).isInstanceOf(MalformedOutputException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> StatCsvParser.parse(header + "\napp,a1,0,0\n"))
                .isInstanceOf(MalformedOutputException.class).hasMessageContaining("line 2: expected 129 fields, found 4");
        String badScur = Captured.read("show-stat.txt").replace("app,a2,0,0,0,0,5", "app,a2,0,0,many,0,5");
        assertThatThrownBy(() -> StatCsvParser.parse(badScur)).hasMessageContaining("line 4: scur 'many' is not a number");
        assertThatThrownBy(() -> StatCsvParser.parse("# pxname,svname,status\n")).hasMessageContaining("column 'qcur' is missing");
    }
}
