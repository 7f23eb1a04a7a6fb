package dev.hsdo.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrkTest {
    private static final String RESULT = "RESULT requests=20000 duration_us=10000000 p50_us=1500 p90_us=9000 p99_us=30000"
            + " max_us=90000 ok=19990 non2xx=10 misrouted=500 unanswered=0 users=8000 wrong_users=2000"
            + " connect_errors=1 read_errors=2 write_errors=3 timeouts=4";

    @Test
    void readsTheResultLineAmongWrksOwnOutput() throws IOException {
        Wrk.Result r = Wrk.parse("Running 10s test @ http://127.0.0.1:1/\n  2 threads and 50 connections\n" + RESULT + "\n");

        assertEquals(2000.0, r.perSecond(), 1e-9);
        assertEquals(1500, r.p50Us());
        assertEquals(30000, r.p99Us());
        assertEquals(0.025, r.misroutedShare(), 1e-9);
        assertEquals(0.25, r.wrongUserShare(), 1e-9);
        assertEquals(10, r.socketErrors());
        assertEquals(20, r.failed());
    }

    @Test
    void wrkRunWithoutItsScriptIsAnError() {
        // wrk exits 0 when it cannot open the script, and then prints no RESULT line.
        IOException e = assertThrows(IOException.class,
                () -> Wrk.parse("x.lua: cannot open x.lua: No such file or directory\nRequests/sec:  16481.81\n"));
        assertTrue(e.getMessage().contains("no RESULT line"), e.getMessage());
    }

    @Test
    void aMissingFieldIsNamed() {
        IOException e = assertThrows(IOException.class, () -> Wrk.parse(RESULT.replace(" users=8000", "")));
        assertTrue(e.getMessage().contains("'users'"), e.getMessage());
    }

    @Test
    void theLuaCountersReadAsNumbersByName() throws IOException {
        assertEquals(java.util.Map.of("ok", 3L, "no_answer", 0L), Wrk.fields("ok=3 no_answer=0\n"));
    }

    @Test
    void aFieldThatIsNotKeyEqualsNumberIsNamed() {
        IOException e = assertThrows(IOException.class, () -> Wrk.fields("ok=3 connect_failed=many"));
        assertTrue(e.getMessage().contains("'connect_failed=many'"), e.getMessage());
    }
}
