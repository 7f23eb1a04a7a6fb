package dev.hsdo.cli;

import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-shot commands as an operator runs them: validate, render, plan. */
class CliIT {
    @TempDir
    Path dir;
    HaproxyFixture haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) haproxy.close();
    }

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path config(String backendExtra) throws Exception {
        Path c = dir.resolve("hsdo.yaml");
        Files.writeString(c, """
                haproxy: {runtime-dir: ./run}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends:
                  - {name: app, balance: uri, sources: [servers]%s}
                sources: [{name: servers, type: file, path: servers.yaml}]
                admin: {bind: ""}
                """.formatted(Ports.free(), backendExtra));
        ServerFile.write(dir.resolve("servers.yaml"), List.of("name: web1, address: 127.0.0.1, port: 9001",
                "name: web2, address: 127.0.0.1, port: 9002"));
        return c;
    }

    @Test
    void validateNamesEveryBadKeyAndExitsTwo() throws Exception {
        Path c = config(", balanse: uri");
        Files.writeString(c, Files.readString(c).replace("balance: uri", "balance: urii"));
        Result r = run("validate", "-c", c.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("backends[0].balance: unknown value 'urii'").contains("balanse");
    }

    @Test
    void validateAcceptsAGoodConfig() throws Exception {
        Result r = run("validate", "-c", config("").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid");
    }

    @Test
    void renderPrintsAConfigThatHaproxyAcceptsWithTheServersAndTheirIds() throws Exception {
        Result r = run("render", "-c", config("").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("backend app").contains("hash-type consistent")
                .containsPattern("server web1 127\\.0\\.0\\.1:9001 id \\d+ weight 100")
                .containsPattern("server web2 127\\.0\\.0\\.1:9002 id \\d+ weight 100");
    }

    @Test
    void renderFailsWhenHaproxyRejectsTheResult() throws Exception {
        // A binary that rejects everything stands for an HAProxy that finds the config invalid.
        Path fake = dir.resolve("fake-haproxy");
        Files.writeString(fake, "#!/bin/sh\necho '[ALERT] parsing error' >&2\nexit 1\n");
        fake.toFile().setExecutable(true);
        Path c = config("");
        Files.writeString(c, "haproxy: {runtime-dir: ./run, binary: " + fake + "}\n"
                + Files.readString(c).replace("haproxy: {runtime-dir: ./run}\n", ""));
        Result r = run("render", "-c", c.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("parsing error");
    }

    @Test
    void planShowsTheDiffAgainstTheLiveHaproxyAndChangesNothing() throws Exception {
        Path c = config("");
        haproxy = HaproxyFixture.builder(Files.createDirectories(dir.resolve("live"))).sections(HaproxyFixture.HTTP_DEFAULTS + """
                backend app
                  balance uri
                  hash-type consistent
                  server stray 127.0.0.1:9009 id 5
                """).start();
        Result r = run("plan", "-c", c.toString(), "--socket", haproxy.adminSocket().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("backend app (2 servers)")
                .contains("set server app/stray state maint").contains("del server app/stray")
                .containsPattern("add server app/web1 127\\.0\\.0\\.1:9001 id \\d+");
        assertThat(haproxy.cli("show servers state app")).contains("stray").doesNotContain("web1");
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run("version").out()).startsWith("hsdo ");
    }
}
