package dev.hsdo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code hsdo.yaml} of a standalone hsdo as these tests run it: frontend {@code fe} on a loopback port,
 * backend {@code app} (balance uri) fed by the file source {@code servers.yaml}, HAProxy in {@code ./run},
 * no admin API.
 */
final class StandaloneYaml {
    private StandaloneYaml() {}

    /**
     * Writes {@code dir/hsdo.yaml} and returns its path.
     *
     * @param haproxyKeys more keys of the {@code haproxy} mapping, each after a comma, e.g. {@code ", stop-with-hsdo: true"}
     */
    static Path write(Path dir, int frontend, String haproxyKeys) throws IOException {
        Path c = dir.resolve("hsdo.yaml");
        Files.writeString(c, """
                haproxy: {runtime-dir: ./run%s}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends:
                  - {name: app, balance: uri, sources: [servers]}
                sources: [{name: servers, type: file, path: servers.yaml}]
                reconcile-interval: 1s
                admin: {bind: ""}
                """.formatted(haproxyKeys, frontend));
        return c;
    }
}
