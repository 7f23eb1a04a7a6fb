package dev.hsdo.discovery.file;

import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerFileTest {
    private static Parsed parse(String text) {
        return ServerFile.parse(text, "servers.yaml");
    }

    @Test
    void entriesBecomeEndpointsInFileOrder() {
        Parsed p = parse("""
                servers:
                  - {address: 127.0.0.1, port: 8082, name: web2, weight: 50, zone: a, meta: {rack: r1, gen: 3}}
                  - {address: "::1", port: "8081"}
                """);

        assertThat(p.endpoints()).containsExactly(
                new Endpoint("web2", "127.0.0.1", 8082, 50, "a", Map.of("rack", "r1", "gen", "3")),
                Endpoint.of("::1", 8081));
        assertThat(p.rejected()).isEmpty();
    }

    @Test
    void bareListAndJsonAreAccepted() {
        assertThat(parse("- {address: 10.0.0.1, port: 80}\n").endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
        assertThat(parse("{\"servers\": [{\"address\": \"10.0.0.1\", \"port\": 80, \"name\": \"a\"}]}").endpoints())
                .containsExactly(new Endpoint("a", "10.0.0.1", 80, null, null, Map.of()));
        assertThat(parse("servers: []\n").endpoints()).isEmpty();
    }

    @Test
    void injectionAttemptsAreRejectedAndTheRestKept() {
        Parsed p = parse("""
                servers:
                  - {address: 127.0.0.1, port: 8081, name: ok}
                  - {address: 127.0.0.1, port: 8082, name: "a;shutdown sessions"}
                  - {address: 127.0.0.1, port: 8083, name: "a\\nshow info"}
                  - {address: "1.2.3.4 backup", port: 8084}
                  - {address: 127.0.0.1, port: 8085, meta: {rack: "r 1"}}
                  - {address: 127.0.0.1, port: 8086, meta: {rack: "r;1"}}
                  - {address: 127.0.0.1, port: 8087, weight: 257}
                  - {address: 127.0.0.1, port: 0}
                """);

        assertThat(p.endpoints()).containsExactly(new Endpoint("ok", "127.0.0.1", 8081, null, null, Map.of()));
        assertThat(p.rejected()).containsExactly(
                "servers.yaml: servers[1]: name: invalid value 'a;shutdown sessions' (letters, digits, '-', '_', '.', ':', at most 64)",
                "servers.yaml: servers[2]: name: invalid value 'a\\nshow info' (letters, digits, '-', '_', '.', ':', at most 64)",
                "servers.yaml: servers[3]: address: invalid value '1.2.3.4 backup' (an IPv4 or IPv6 literal)",
                "servers.yaml: servers[4]: meta[rack]: invalid value 'r 1' (printable, no space, ';', '#', quotes)",
                "servers.yaml: servers[5]: meta[rack]: invalid value 'r;1' (printable, no space, ';', '#', quotes)",
                "servers.yaml: servers[6]: weight: invalid value 257 (0..256)",
                "servers.yaml: servers[7]: port: invalid value 0 (1..65535)");
    }

    @Test
    void malformedEntriesAreRejectedWithTheReason() {
        Parsed p = parse("""
                servers:
                  - {address: 127.0.0.1, port: 8081, backup: true}
                  - {port: 8082}
                  - {address: 127.0.0.1}
                  - {address: 127.0.0.1, port: http}
                  - {address: [127.0.0.1], port: 1}
                  - 127.0.0.1:8083
                  - {address: 127.0.0.1, port: 8084, meta: [a]}
                """);

        assertThat(p.endpoints()).isEmpty();
        assertThat(p.rejected()).containsExactly(
                "servers.yaml: servers[0]: unknown key 'backup' (allowed: address, port, name, weight, zone, meta)",
                "servers.yaml: servers[1]: address: is required",
                "servers.yaml: servers[2]: port: is required",
                "servers.yaml: servers[3]: port: invalid value 'http' (expected an integer)",
                "servers.yaml: servers[4]: address: expected a single value, got a list",
                "servers.yaml: servers[5]: expected a mapping, got '127.0.0.1:8083'",
                "servers.yaml: servers[6]: meta: expected a mapping, got a list");
    }

    @Test
    void anInvalidOptionInMetaCostsThatOptionNotTheServer() {
        Parsed p = parse("""
                servers:
                  - {address: 127.0.0.1, port: 8081, meta: {hsdo.maxconn: "5", hsdo.backup: maybe, rack: r1}}
                """);
        assertThat(p.endpoints()).containsExactly(new Endpoint(null, "127.0.0.1", 8081, null, null,
                Map.of("hsdo.maxconn", "5", "rack", "r1")));
        assertThat(p.rejected()).containsExactly("servers.yaml: servers[0]: hsdo.backup: invalid value 'maybe' (true or false) skipped");
    }

    @Test
    void laterDuplicateIdentityIsRejected() {
        Parsed p = parse("""
                servers:
                  - {address: 127.0.0.1, port: 8081, name: web1}
                  - {address: 127.0.0.2, port: 8081, name: web1}
                  - {address: 127.0.0.1, port: 8082}
                  - {address: 127.0.0.1, port: 8082}
                  - {address: 127.0.0.1, port: 8081}
                """);

        assertThat(p.endpoints()).containsExactly(new Endpoint("web1", "127.0.0.1", 8081, null, null, Map.of()),
                Endpoint.of("127.0.0.1", 8082), Endpoint.of("127.0.0.1", 8081));
        assertThat(p.rejected()).containsExactly(
                "servers.yaml: servers[1]: duplicate name 'web1' (also servers[0])",
                "servers.yaml: servers[3]: duplicate address '127.0.0.1:8082' (also servers[2])");
    }

    @Test
    void unusableFilesAreErrorsNamingTheFile() {
        assertThatThrownBy(() -> parse("servers:\n  - {address: 127.0.0.1, port: 80\n"))
                .hasMessage("servers.yaml: line 3, column 1: expected ',' or '}', but got <stream end> "
                        + "(while parsing a flow mapping started at line 2, column 5)");
        assertThatThrownBy(() -> parse("")).hasMessage("servers.yaml: empty file (write 'servers: []' for no servers)");
        assertThatThrownBy(() -> parse("# nothing yet\n")).hasMessage("servers.yaml: empty file (write 'servers: []' for no servers)");
        assertThatThrownBy(() -> parse("servers:\n")).hasMessage("servers.yaml: servers: expected a list of servers, got nothing");
        assertThatThrownBy(() -> parse("server: []\n")).hasMessage("servers.yaml: unknown key 'server' at top level (expected 'servers')");
        assertThatThrownBy(() -> parse("42\n")).hasMessage("servers.yaml: expected a list of servers or a mapping with 'servers', got '42'");
    }
}
