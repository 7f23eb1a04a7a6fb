package dev.hsdo.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectorTest {
    @Test
    void keyEqualsValueWantsThatValue() {
        Selector s = Selector.parse("pow=true");
        assertThat(s.matches(Map.of("pow", "true"))).isTrue();
        assertThat(s.matches(Map.of("pow", "false"))).isFalse();
        assertThat(s.matches(Map.of())).isFalse();
    }

    @Test
    void aBareKeyWantsItPresentAndABangWantsItAbsent() {
        assertThat(Selector.parse("pow").matches(Map.of("pow", ""))).isTrue();
        assertThat(Selector.parse("pow").matches(Map.of())).isFalse();
        assertThat(Selector.parse("!draining").matches(Map.of())).isTrue();
        assertThat(Selector.parse("!draining").matches(Map.of("draining", "true"))).isFalse();
    }

    @Test
    void commasJoinTermsThatMustAllHold() {
        Selector s = Selector.parse(" pow=true , zone=a,!draining ");
        assertThat(s.matches(Map.of("pow", "true", "zone", "a"))).isTrue();
        assertThat(s.matches(Map.of("pow", "true", "zone", "b"))).isFalse();
        assertThat(s.matches(Map.of("pow", "true", "zone", "a", "draining", ""))).isFalse();
        assertThat(s).hasToString("pow=true,zone=a,!draining");
    }

    @Test
    void malformedSelectorsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Selector.parse("pow=true,")).hasMessage("empty term in 'pow=true,' (terms: key=value, key or !key, joined by commas)");
        assertThatThrownBy(() -> Selector.parse("po w")).hasMessage("selector key: invalid value 'po w' (letters, digits, '-', '_', '.', '/')");
        assertThatThrownBy(() -> Selector.parse("pow=a;b")).hasMessage("selector value: invalid value 'a;b' (printable, no space, ';', '#', quotes)");
        assertThatThrownBy(() -> Selector.parse("!pow=true")).hasMessageContaining("selector key: invalid value 'pow=true'");
    }
}
