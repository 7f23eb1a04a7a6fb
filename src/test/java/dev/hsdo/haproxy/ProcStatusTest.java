package dev.hsdo.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
    // Captured from HAProxy 2.6.12 during a reload, while the old worker still finished a connection.
    private static final String DURING_RELOAD = """
            #<PID>          <type>          <reloads>       <uptime>        <version>      \s
            4022            master          2 [failed: 1]   0d00h01m02s     2.6.12-1+deb12u4
            # workers
            5625            worker          0               0d00h00m03s     2.6.12-1+deb12u4
            4025            worker          1               0d00h01m02s     2.6.12-1+deb12u4
            # programs

            """;

    @Test
    void readsMasterReloadCountersAndWorkers() {
        ProcStatus s = ProcStatus.parse(DURING_RELOAD);
        assertThat(s.masterPid()).isEqualTo(4022);
        assertThat(s.reloads()).isEqualTo(2);
        assertThat(s.failedReloads()).isEqualTo(1);
        assertThat(s.workers()).containsExactly(new ProcStatus.Worker(5625, 0), new ProcStatus.Worker(4025, 1));
    }

    @Test
    void currentWorkerIsTheOneThatOutlivedFewestReloads() {
        assertThat(ProcStatus.parse(DURING_RELOAD).currentWorker()).isEqualTo(5625);
        String afterFailedReload = """
                4022            master          1 [failed: 1]   0d00h01m02s     2.6.12
                # workers
                5625            worker          1               0d00h00m03s     2.6.12
                """;
        assertThat(ProcStatus.parse(afterFailedReload).currentWorker()).isEqualTo(5625);
    }

    @Test
    void noWorkerMeansMinusOne() {
        assertThat(ProcStatus.parse("1 master 0 [failed: 0] 0d 2.6\n# workers\n").currentWorker()).isEqualTo(-1);
    }

    @Test
    void textWithoutMasterLineIsRefusedQuotingIt() {
        assertThatThrownBy(() -> ProcStatus.parse("Unknown command.\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown command.");
    }
}
