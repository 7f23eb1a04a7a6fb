package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeApiDefaultsTest {
    /** Answers every command with one fixed output and records what it was sent. */
    private static final class CannedApi implements RuntimeApi {
        final List<String> sent = new ArrayList<>();
        private final String output;

        CannedApi(String output) {
            this.output = output;
        }

        @Override
        public List<Reply> execute(List<String> commands) {
            sent.addAll(commands);
            return commands.stream().map(c -> Replies.classify(c, output)).toList();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void showServersStateSendsTheBackendAndParses() throws RuntimeApiException {
        CannedApi api = new CannedApi(Captured.read("show-servers-state-app.txt"));
        assertThat(api.showServersState("app")).hasSize(8);
        assertThat(api.sent).containsExactly("show servers state app");
    }

    @Test
    void unreadableAnswerBecomesARuntimeApiExceptionNamingTheCommand() {
        CannedApi api = new CannedApi("1\n# be_id be_name\n");
        assertThatThrownBy(api::showServersState)
                .isInstanceOf(RuntimeApiException.class)
                .hasMessageStartingWith("show servers state: unreadable answer: show servers state, line 2")
                .hasCauseInstanceOf(MalformedOutputException.class);
    }

    @Test
    void refusedShowIsARuntimeApiExceptionWithHaproxysText() {
        CannedApi api = new CannedApi("Can't find backend.\n");
        assertThatThrownBy(() -> api.showServersState("nosuch")).isInstanceOf(RuntimeApiException.class)
                .hasMessage("show servers state nosuch: Can't find backend.");
    }

    @Test
    void unsafeBackendNameIsRefusedBeforeSending() {
        CannedApi api = new CannedApi("");
        assertThatThrownBy(() -> api.showServersState("app;shutdown sessions server app/a1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend name");
        assertThat(api.sent).isEmpty();
    }

    @Test
    void infoAndStatAreParsed() throws RuntimeApiException {
        assertThat(new CannedApi(Captured.read("show-info.txt")).showInfo()).containsEntry("Pid", "31801");
        assertThat(new CannedApi(Captured.read("show-stat.txt")).showStat()).hasSize(16);
    }
}
