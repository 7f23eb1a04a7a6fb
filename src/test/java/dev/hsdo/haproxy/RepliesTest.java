package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every output below was captured byte for byte from HAProxy 2.6.12 in prompt mode (the text before "\n> "). */
class RepliesTest {
    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("add server be/x 127.0.0.1:50790 id 4242 weight 10 check", "New server registered.\n"),
                arguments("del server be/x", "Server deleted."),
                arguments("set server be/x state ready", ""),
                arguments("set server be/x state drain", ""),
                arguments("set server be/x state maint", ""),
                arguments("set server be/x weight 20", ""),
                arguments("set server be/x health down", ""),
                arguments("set server be/x addr 127.0.0.2", "IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'\n"),
                arguments("set server be/x addr 127.0.0.1", "no need to change the addr by 'stats socket command'\n"),
                arguments("set server be/x addr 127.0.0.1 port 50792", "no need to change the addr, port changed from '50790' to '50792' by 'stats socket command'\n"),
                arguments("set server be/x addr 127.0.0.1 port 50790", "no need to change the addr, no need to change the port by 'stats socket command'\n"),
                arguments("set server be/x addr ::1 port 50791", "IP changed from '127.0.0.1' to '::1', no need to change the port by 'stats socket command'\n"),
                arguments("enable health be/x", ""),
                arguments("disable health be/x", ""),
                arguments("enable agent be/hc", ""),
                arguments("set maxconn server be/x 100", ""),
                arguments("shutdown sessions server be/x", ""),
                arguments("prepare map /tmp/exp/shards.map", "New version created: 1\n"),
                arguments("add map @1 /tmp/exp/shards.map dave be", ""),
                arguments("commit map @1 /tmp/exp/shards.map", ""),
                arguments("set map /tmp/exp/shards.map alice be2", ""),
                arguments("add map /tmp/exp/shards.map carol be", ""),
                arguments("del map /tmp/exp/shards.map carol", ""),
                arguments("clear map /tmp/exp/shards.map", ""),
                arguments("set timeout cli 1d", ""),
                arguments("show servers state be", "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state\n"),
                arguments("show stat nosuch", "# pxname,svname,qcur,qmax,scur\n"),
                arguments("show map /tmp/exp/shards.map", "0x55debdcbae00 alice be\n0x55debdcbae90 bob be2\n"),
                arguments("show map /tmp/exp/shards.map", ""),
                arguments("show backend", "# name\nbe\nbe2\nstatic\n"),
                arguments("show table", ""),
                arguments("show startup-logs", "\n"),
                arguments("get weight be/x", "5 (initial 10)\n"),
                arguments("get map /tmp/exp/shards.map alice", "type=str, case=sensitive, found=yes, idx=tree, key=\"alice\", value=\"be\", type=\"str\"\n"),
                arguments("get map /tmp/exp/shards.map zed", "type=str, case=sensitive, found=no\n"),
                arguments("show cli level", "admin\n"),
                arguments("help", "The following commands are valid at this level:\n  abort ssl ca-file <cafile>  : abort a transaction\n"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("add server be/x 127.0.0.1:50790 id 4243", "Already exists a server with the same name in backend.\n"),
                arguments("add server be/y 127.0.0.1:50791 id 4242", "'id' : custom id 4242 already used at (null):0 ('server x').\n"),
                arguments("add server be/z 127.0.0.1:50791 id 0", "'id' : custom id has to be > 0.\n"),
                arguments("add server be/w 127.0.0.1:50791 weight 300", "weight of server w is not within 0 and 256 (300)..\n"),
                arguments("add server be/v 127.0.0.1:50791 bogus 1", "unknown keyword 'bogus'.\n"),
                arguments("add server be/u", "'server' expects <name> and <addr>[:<port>] as arguments.\n"),
                arguments("add server nosuchbe/u 127.0.0.1:1", "No such backend."),
                arguments("add server be2/u 127.0.0.1:1", "Backend must use a dynamic load balancing to support dynamic servers."),
                arguments("add server be 127.0.0.1:1", "Require 'backend/server'."),
                arguments("add server be/e 127.0.0.1:99999", "invalid port '99999'\n"),
                arguments("add server be/n 127.0.0.1:80 init-addr none", "'init-addr' option is not accepted for dynamic server\n"),
                arguments("add server be/k 127.0.0.1:80 check inter abc", "unexpected character 'a' in 'agent-inter' argument of server k..\n"),
                arguments("del server be/x", "No such server."),
                arguments("del server be/s1", "Only servers in maintenance mode can be deleted."),
                arguments("del server app/hold", "Server still has connections attached to it, cannot remove it."),
                arguments("del server nosuch/x", "No such backend."),
                arguments("set server be/nosuch state ready", "No such server.\n"),
                arguments("set server nosuch/x state ready", "No such backend.\n"),
                arguments("set server bex state ready", "Require 'backend/server'.\n"),
                arguments("set server be/x state bogus", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n"),
                arguments("set server be/x weight 300", "Absolute weight can only be between 0 and 256 inclusive.\n"),
                arguments("set server be/x weight abc", "Empty weight string empty or preceded by garbage"),
                arguments("set server be/x addr", "set server <b>/<s> addr requires an address and optionally a port.\n"),
                arguments("set server be/x addr notanip", "Invalid addr 'notanip' by 'stats socket command'\n"),
                arguments("set server be/x addr 127.0.0.1 port abc", "IP changed from '::1' to '127.0.0.1', problem converting port 'abc' to an int by 'stats socket command'\n"),
                arguments("set server be/x port 50793", "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n"),
                arguments("set server be/x health bogus", "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n"),
                arguments("set server be/x fqdn foo.example", "set server <b>/<s> fqdn failed because no resolution is configured.\n"),
                arguments("set server be/c check-port 50799", "health checks are not enabled on this server"),
                arguments("set server be/c ssl on", "'set server <srv> ssl' not supported on dynamic servers\n"),
                arguments("enable health be/s1", "Health check was not configured on this server, cannot enable.\n"),
                arguments("enable health be/nosuch", "No such server.\n"),
                arguments("enable agent be/x", "Agent was not configured on this server, cannot enable.\n"),
                arguments("set maxconn server be/x abc", "maxconn string empty or preceded by garbage"),
                arguments("shutdown sessions server be/nosuch", "No such server.\n"),
                arguments("set server be/s1 state drain", "Permission denied\n"),
                arguments("set map /tmp/exp/shards.map nobody be2", "entry not found.\n"),
                arguments("set map /tmp/exp/nosuch.map alice be2", "Unknown map identifier. Please use #<id> or <file>.\n"),
                arguments("add map /tmp/exp/shards.map carol", "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n"),
                arguments("del map /tmp/exp/shards.map carol", "Key not found.\n"),
                arguments("add map @99 /tmp/exp/shards.map erin be2", "Version number in the future, please use 'prepare map' before.\n"),
                arguments("commit map @1 /tmp/exp/shards.map", "Version number out of range.\n"),
                arguments("prepare map /tmp/exp/nosuch.map", "Unknown map identifier. Please use #<id> or <file>.\n"),
                arguments("clear map /tmp/exp/nosuch.map", "Unknown map identifier. Please use #<id> or <file>.\n"),
                arguments("frobnicate", "Unknown command, but maybe one of the following ones is a better match:\n  clear table <table> [<filter>]*  : remove an entry from a table\n"),
                arguments("show servers state nosuch", "Can't find backend.\n"),
                arguments("show map /tmp/exp/nosuch.map", "Unknown map identifier. Please use #<id> or <file>.\n"),
                arguments("show table be", "No such table\n"),
                arguments("show errors nosuch", "No such proxy.\n"),
                arguments("show sess 0x1", "Session not found.\n"),
                arguments("show peers nosuch", "No such peers\n"),
                arguments("show frobnicate", "Unknown command, but maybe one of the following ones is a better match:\n  show cache  : show cache status\n"),
                arguments("get weight be/nosuch", "No such server.\n"),
                arguments("get weight be", "Require 'backend/server'.\n"),
                arguments("get map /tmp/exp/shards.map", "Missing map identifier and/or key.\n"),
                arguments("get map /tmp/exp/nosuch.map alice", "Unknown map identifier. Please use #<id> or <file>.\n"),
                arguments("show servers state be", "Permission denied\n"));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptedCommandIsOk(String command, String output) {
        Reply r = Replies.classify(command, output);
        assertThat(r.ok()).as("%s -> %s", command, output).isTrue();
        assertThat(r.command()).isEqualTo(command);
        assertThat(r.output()).isEqualTo(output);
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedCommandCarriesHaproxysText(String command, String output) {
        Reply r = Replies.classify(command, output);
        assertThat(r.ok()).as("%s -> %s", command, output).isFalse();
        assertThat(r.error()).isEqualTo(output.strip());
        assertThat(r.output()).isEqualTo(output);
    }

    @Test
    void successTextOfAnotherCommandIsNotSuccess() {
        assertThat(Replies.classify("set server be/x state ready", "New server registered.\n").error()).isEqualTo("New server registered.");
        assertThat(Replies.classify("del server be/x", "New server registered.\n").ok()).isFalse();
    }

    @Test
    void longErrorIsShortened() {
        String help = "Unknown command. Please enter one of the following commands only:\n" + "  abort ssl cert <certfile> : abort\n".repeat(100);
        Reply r = Replies.classify("frobnicate", help);
        assertThat(r.error()).startsWith("Unknown command.").endsWith("…").hasSizeLessThan(310);
        assertThat(r.output()).isEqualTo(help);
    }

    @Test
    void readOnlyMeansShowGetOrHelp() {
        assertThat(Replies.isReadOnly("show servers state")).isTrue();
        assertThat(Replies.isReadOnly("  get weight be/x")).isTrue();
        assertThat(Replies.isReadOnly("help")).isTrue();
        assertThat(Replies.isReadOnly("set server be/x weight 1")).isFalse();
        assertThat(Replies.isReadOnly("shutdown sessions server be/x")).isFalse();
    }

    @Test
    void repeatedBlanksInTheCommandDoNotHideASuccessText() {
        assertThat(Replies.classify("add  server be/x 127.0.0.1:1", "New server registered.\n").ok()).isTrue();
    }
}
