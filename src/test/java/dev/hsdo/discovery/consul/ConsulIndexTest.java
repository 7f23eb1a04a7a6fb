package dev.hsdo.discovery.consul;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulIndexTest {
    @Test
    void aGrowingIndexIsUsedAsIs() {
        assertThat(ConsulIndex.next(0, 42)).isEqualTo(42);
        assertThat(ConsulIndex.next(42, 42)).as("a blocking query that timed out").isEqualTo(42);
        assertThat(ConsulIndex.next(42, 50)).isEqualTo(50);
    }

    @Test
    void anIndexThatWentBackwardsStartsOverWithoutBlocking() {
        assertThat(ConsulIndex.next(50, 3)).isZero();
    }

    @Test
    void anIndexOfZeroIsNeverBlockedOn() {
        assertThat(ConsulIndex.next(0, 0)).isEqualTo(1);
        assertThat(ConsulIndex.next(0, -5)).isEqualTo(1);
    }
}
