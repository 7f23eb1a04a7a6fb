package dev.hsdo.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The digest is the SHA-256 of the canonical text, however it is computed, so stored plans keep validating. */
class PlanDigestTest {
    private static final ServerOptions OPTIONS = new ServerOptions(0, false, false, true, 2000, 500, 2000, 2, 3, true, false);

    private static List<BackendPlan> backends(int weightOfFirst) {
        List<ServerPlan> servers = new ArrayList<>();
        for (int i = 1; i <= 50; i++)
            servers.add(new ServerPlan("s" + i, i, "s" + i, "10.0.0." + i, 80, i == 1 ? weightOfFirst : 100, ServerState.READY,
                    null, OPTIONS, null));
        return List.of(new BackendPlan("app", servers, null), new BackendPlan("other", List.of(), "held back\nfor a reason"));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDigestIsTheSha256OfTheCanonicalTextAlsoWhenServersAreReused() throws Exception {
        Plan first = Plan.of(1, backends(100));
        assertThat(first.digest()).isEqualTo(sha256(Plan.canonical(first.backends())));
        Plan second = Plan.of(2, backends(7));
        assertThat(second.digest()).isEqualTo(sha256(Plan.canonical(second.backends()))).isNotEqualTo(first.digest());
        assertThat(Plan.of(3, backends(100)).digest()).isEqualTo(first.digest());
    }
}
