package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code show peers} as HAProxy 2.6.12 and 3.0.11 printed it (captured on this machine). */
class PeersParserTest {
    private static final String LEARNING_26 = """
            0x55d3dfa8af50: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags=0x4000 resync_timeout=4s task_calls=8
              0x55d3dfa8e060: id=B(remote,active) addr=127.0.0.1:20412 last_status=ESTA last_hdshk=0s
                    reconnect=4s heartbeat=2s confirm=0 tx_hbt=0 rx_hbt=0 no_hbt=0 new_conn=1 proto_err=0 coll=1
                    flags=0x20000200 appctx:0x7f2cd40425d0 st0=7 st1=0 task_calls=5 state=EST
                    shared tables:
                      0x55d3dfbc3c90 local_id=1 remote_id=1 flags=0x0 remote_data=0x80001
              0x55d3dfa8b0c0: id=A(local,inactive) addr=127.0.0.1:20411 last_status=NONE last_hdshk=<NEVER>
                    flags=0x0

            """;

    @Test
    void a26WorkerStillWaitingForTheOldWorkerIsNotResynced() {
        assertThat(PeersParser.parse(LEARNING_26)).containsExactly(new PeersSection("hsdo", 0x4000));
        assertThat(PeersParser.parse(LEARNING_26).getFirst().resynced()).isFalse();
    }

    @Test
    void a26WorkerTaughtByItsOldWorkerOrAfterTheRemoteTimeoutIsResynced() {
        String taught = "0x1: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags=0x1103 resync_timeout=<PAST> task_calls=3\n";
        String partialThenTimeout = "0x1: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags=0x6833 resync_timeout=<PAST> task_calls=9\n";
        String partialOnly = "0x1: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags=0x6811 resync_timeout=4s task_calls=9\n";
        assertThat(PeersParser.parse(taught).getFirst().resynced()).isTrue();
        assertThat(PeersParser.parse(partialThenTimeout).getFirst().resynced()).isTrue();
        assertThat(PeersParser.parse(partialOnly).getFirst().resynced()).isFalse();
    }

    @Test
    void the30FlagsKeepTheTwoResyncBits() {
        String learning = "0x7ffb3849aa00: [10/Jan/2027:14:27:56] id=hsdo disabled=0 flags=0x28100001 resync_timeout=4s task_calls=4\n";
        String done = "0x7ffb3849aa00: [10/Jan/2027:14:27:56] id=hsdo disabled=0 flags=0x28300003 resync_timeout=<PAST> task_calls=10\n";
        assertThat(PeersParser.parse(learning).getFirst().resynced()).isFalse();
        assertThat(PeersParser.parse(done)).containsExactly(new PeersSection("hsdo", 0x28300003L));
        assertThat(PeersParser.parse(done).getFirst().resynced()).isTrue();
    }

    @Test
    void noPeersSectionGivesNothingAndASectionWithoutFlagsIsMalformed() {
        assertThat(PeersParser.parse("\n")).isEmpty();
        assertThatThrownBy(() -> PeersParser.parse("0x1: [29/Nov/2026:20:35:24] id=hsdo disabled=0\n"))
                .isInstanceOf(MalformedOutputException.class).hasMessageContaining("flags");
    }
}
