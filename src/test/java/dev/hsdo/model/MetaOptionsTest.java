package dev.hsdo.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetaOptionsTest {
    private static final ServerOptions BASE = ServerOptions.defaults();

    @Test
    void validOptionsHaveNoProblemAndOtherKeysAreNotOptions() {
        assertThat(MetaOptions.problem("hsdo.weight", "256")).isNull();
        assertThat(MetaOptions.problem("hsdo.maxconn", "0")).isNull();
        assertThat(MetaOptions.problem("hsdo.ssl", "true")).isNull();
        assertThat(MetaOptions.problem("hsdo.ssl-verify", "false")).isNull();
        assertThat(MetaOptions.problem("hsdo.backup", "true")).isNull();
        assertThat(MetaOptions.problem("pow", "anything at all")).isNull();
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheRule() {
        assertThat(MetaOptions.problem("hsdo.maxconn", "5;shutdown sessions"))
                .isEqualTo("hsdo.maxconn: invalid value '5;shutdown sessions' (an integer 0..10000000)");
        assertThat(MetaOptions.problem("hsdo.maxconn", "-1")).isEqualTo("hsdo.maxconn: invalid value '-1' (an integer 0..10000000)");
        assertThat(MetaOptions.problem("hsdo.maxconn", "+5")).isNotNull();
        assertThat(MetaOptions.problem("hsdo.maxconn", "10000001")).isNotNull();
        assertThat(MetaOptions.problem("hsdo.weight", "257")).isEqualTo("hsdo.weight: invalid value '257' (an integer 0..256)");
        assertThat(MetaOptions.problem("hsdo.weight", " 5")).isNotNull();
        assertThat(MetaOptions.problem("hsdo.ssl", "yes")).isEqualTo("hsdo.ssl: invalid value 'yes' (true or false)");
        assertThat(MetaOptions.problem("hsdo.backup", "")).isEqualTo("hsdo.backup: invalid value '' (true or false)");
    }

    @Test
    void anUnknownOptionIsAProblemSoThatATypoIsNoticed() {
        assertThat(MetaOptions.problem("hsdo.maxcon", "5"))
                .isEqualTo("unknown option 'hsdo.maxcon' (known: hsdo.weight, hsdo.maxconn, hsdo.ssl, hsdo.ssl-verify, hsdo.backup, hsdo.priority)");
    }

    @Test
    void optionsOverrideTheBackendDefaults() {
        ServerOptions o = MetaOptions.apply(BASE, Map.of("hsdo.maxconn", "50", "hsdo.ssl", "true", "hsdo.ssl-verify", "true",
                "hsdo.backup", "true"));
        assertThat(o).isEqualTo(new ServerOptions(50, true, true, BASE.check(), BASE.interMs(), BASE.fastinterMs(),
                BASE.downinterMs(), BASE.rise(), BASE.fall(), BASE.observeErrors(), true));
        assertThat(MetaOptions.apply(withSsl(), Map.of("hsdo.ssl", "false")).ssl()).isFalse();
        assertThat(MetaOptions.apply(BASE, Map.of())).isEqualTo(BASE);
    }

    @Test
    void aNodeMaxconnLowersTheBackendLimitButNeverRaisesIt() {
        ServerOptions limited = withMaxconn(2);
        assertThat(MetaOptions.apply(limited, Map.of("hsdo.maxconn", "50")).maxconn()).isEqualTo(2);
        assertThat(MetaOptions.apply(limited, Map.of("hsdo.maxconn", "1")).maxconn()).isEqualTo(1);
        assertThat(MetaOptions.apply(limited, Map.of("hsdo.maxconn", "0")).maxconn()).as("0 asks for no limit: not granted").isEqualTo(2);
        assertThat(MetaOptions.apply(BASE, Map.of("hsdo.maxconn", "50")).maxconn()).isEqualTo(50);
    }

    @Test
    void invalidValuesAreIgnoredWhenApplied() {
        assertThat(MetaOptions.apply(BASE, Map.of("hsdo.maxconn", "x", "hsdo.ssl", "1"))).isEqualTo(BASE);
        assertThat(MetaOptions.weight(Map.of("hsdo.weight", "300"))).isNull();
        assertThat(MetaOptions.weight(Map.of("hsdo.weight", "7"))).isEqualTo(7);
        assertThat(MetaOptions.weight(Map.of())).isNull();
    }

    private static ServerOptions withMaxconn(int maxconn) {
        return new ServerOptions(maxconn, BASE.ssl(), BASE.sslVerify(), BASE.check(), BASE.interMs(), BASE.fastinterMs(),
                BASE.downinterMs(), BASE.rise(), BASE.fall(), BASE.observeErrors(), BASE.backup());
    }

    private static ServerOptions withSsl() {
        return new ServerOptions(BASE.maxconn(), true, BASE.sslVerify(), BASE.check(), BASE.interMs(), BASE.fastinterMs(),
                BASE.downinterMs(), BASE.rise(), BASE.fall(), BASE.observeErrors(), BASE.backup());
    }
}
