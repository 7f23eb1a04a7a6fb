package dev.hsdo.testing;

import dev.hsdo.testing.GaleraWriter.Ack;
import dev.hsdo.testing.GaleraWriter.Connect;
import dev.hsdo.testing.GaleraWriter.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GaleraWriterResultTest {
    private static final long MS = 1_000_000L;

    private final Result failback = new Result("w", List.of(
            new Ack(1, "n1", 0), new Ack(2, "n1", 5 * MS),
            new Ack(3, "n2", 6_300 * MS), new Ack(4, "n2", 6_305 * MS),
            new Ack(5, "n1", 20_000 * MS)),
            1, 2, List.of(10 * MS), List.of(new Connect("n1", 0), new Connect("n2", 1_200 * MS), new Connect("n1", 19_000 * MS)),
            Map.of("Socket error", 1));

    @Test
    void aWriterThatFailedOverAndBackChangedNodeTwice() {
        assertThat(failback.nodeSequence()).containsExactly("n1", "n2", "n1");
        assertThat(failback.moves()).isEqualTo(2);
    }

    @Test
    void theFailoverIsWhereTheFirstConnectionAndTheFirstWriteElsewhereHappenedAfterTheKill() {
        assertThat(failback.firstConnectElsewhereAfter(10 * MS, "n1")).isEqualTo(new Connect("n2", 1_200 * MS));
        assertThat(failback.firstAckElsewhereAfter(10 * MS, "n1")).isEqualTo(new Ack(3, "n2", 6_300 * MS));
        assertThat(failback.longestGap()).isEqualTo(Duration.ofMillis(13_695));
    }

    @Test
    void acknowledgedIdsAbsentFromTheTableAreLost() {
        assertThat(failback.missingFrom(Set.of(1L, 2L, 3L, 5L, 99L))).containsExactly(4L);
        assertThat(failback.missingFrom(Set.of(1L, 2L, 3L, 4L, 5L))).isEmpty();
    }

    @Test
    void aWriterWithoutAcknowledgedWritesNeverMoved() {
        Result none = new Result("w", List.of(), 3, 0, List.of(), List.of(), Map.of());
        assertThat(none.moves()).isZero();
        assertThat(none.longestGap()).isEqualTo(Duration.ZERO);
    }
}
