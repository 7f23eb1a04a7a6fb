package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the parts of {@code hsdo.yaml} that active/backup backends add: the health-check type with its
 * settings, and the {@code peers} section. Every problem names the key path and the bad value.
 */
final class CheckConfigs {
    // A MySQL user name as option mysql-check takes it: one word, nothing HAProxy or MySQL would quote.
    private static final Pattern MYSQL_USER = Pattern.compile("[A-Za-z0-9_.-]{1,80}");
    // Printable ASCII without space, quotes, '#' or backslash, plus the escapes \r \n \t.
    private static final Pattern TCP_TEXT = Pattern.compile("(?:[!$-&(-\\[\\]-~]|\\\\[rnt])+");
    private static final Pattern COMMAND = Pattern.compile("/[A-Za-z0-9._/+-]+");

    private CheckConfigs() {}

    /** The check type and its settings below {@code health-check}; {@code mode} is the backend's. */
    static HealthCheck withType(ConfigNode n, HealthCheck base, Mode mode) {
        String word = n.string("type", null);
        CheckType type = null;
        if (word != null) {
            for (CheckType t : CheckType.values()) if (t.word().equals(word.toLowerCase(Locale.ROOT))) type = t;
            if (type == null) n.fail("type", "unknown value " + Tokens.show(word) + " (expected http, tcp, mysql or external)");
        }
        CheckType effective = type != null ? type : mode == Mode.HTTP ? CheckType.HTTP : CheckType.TCP;
        if (effective == CheckType.MYSQL && mode == Mode.HTTP)
            n.fail("type", "a mysql check needs a tcp backend (set the backend's mode: tcp)");
        String user = n.string("mysql-user", null);
        if (user != null) {
            if (effective != CheckType.MYSQL) n.fail("mysql-user", "only applies with type: mysql");
            else if (!MYSQL_USER.matcher(user).matches())
                n.fail("mysql-user", "invalid value " + Tokens.show(user) + " (letters, digits, '_', '.', '-', at most 80)");
        }
        List<TcpCheckStep> steps = new ArrayList<>();
        List<ConfigNode> stepNodes = n.list("steps");
        if (!stepNodes.isEmpty() && effective != CheckType.TCP) n.fail("steps", "only applies with type: tcp");
        for (ConfigNode s : stepNodes) {
            s.checkKeys("send", "expect");
            String send = s.string("send", null);
            String expect = s.string("expect", null);
            if ((send == null) == (expect == null)) {
                s.fail(null, "each step has exactly one of send or expect");
                continue;
            }
            String key = send != null ? "send" : "expect";
            String text = send != null ? send : expect;
            if (!TCP_TEXT.matcher(text).matches()) {
                s.fail(key, "invalid value " + Tokens.show(text)
                        + " (printable characters without spaces, quotes, '#' or '\\', plus the escapes \\r \\n \\t)");
                continue;
            }
            steps.add(new TcpCheckStep(send, expect));
        }
        String command = n.string("command", null);
        // Measured on 2.6.12 and 3.0.11: an external check on a server added at runtime leaves the worker's
        // Runtime API unanswered, while a server from the config file is checked fine. So a backend with this
        // type gets its servers rendered into haproxy.cfg, and a change of its members reloads HAProxy.
        if (effective == CheckType.EXTERNAL && command == null) n.fail("command", "is required with type: external");
        if (command != null) {
            if (effective != CheckType.EXTERNAL) n.fail("command", "only applies with type: external");
            else if (!COMMAND.matcher(command).matches())
                n.fail("command", "invalid value " + Tokens.show(command)
                        + " (an absolute path of letters, digits, '.', '_', '/', '+', '-')");
        }
        return new HealthCheck(base.enabled(), base.method(), base.path(), base.inter(), base.fastinter(),
                base.downinter(), base.rise(), base.fall(), base.timeout(), type, user, steps, command);
    }

    /**
     * The {@code peers} section, or null when absent. {@code bind} validates an address and claims its port;
     * {@code defaultName} is the local name when {@code local-name} is unset.
     */
    static PeersConfig peers(ConfigNode n, BiFunction<ConfigNode, String, String> bind, String defaultName) {
        n.checkKeys("local-name", "bind", "static");
        String local = n.string("local-name", PeerConfig.sanitize(defaultName));
        boolean ok = true;
        if (!PeerConfig.isName(local)) {
            n.fail("local-name", "invalid value " + Tokens.show(local) + " (letters, digits, '-', '_', '.', at most 64)");
            ok = false;
        }
        String address = n.has("bind") ? bind.apply(n, "bind") : null;
        if (address == null) {
            if (!n.has("bind")) n.fail("bind", "is required: where this HAProxy's peer listener binds, e.g. 127.0.0.1:10001");
            ok = false;
        }
        List<PeerConfig> others = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(local));
        List<ConfigNode> list = n.list("static");
        for (int i = 0; i < list.size(); i++) {
            ConfigNode p = list.get(i);
            p.checkKeys("name", "address");
            String name = p.string("name", null);
            String addr = p.string("address", null);
            if (name == null) p.fail("name", "is required");
            else if (!PeerConfig.isName(name))
                p.fail("name", "invalid value " + Tokens.show(name) + " (letters, digits, '-', '_', '.', at most 64)");
            else if (names.contains(name))
                p.fail("name", "duplicate peer " + Tokens.show(name) + (name.equals(local) ? " (the local peer's name; it is added by hsdo)" : ""));
            if (addr == null) p.fail("address", "is required");
            else if (PeerConfig.addressProblem(addr) != null) p.fail("address", PeerConfig.addressProblem(addr));
            if (name != null && addr != null && PeerConfig.isName(name) && !names.contains(name)
                    && PeerConfig.addressProblem(addr) == null) {
                names.add(name);
                others.add(new PeerConfig(name, addr));
            }
        }
        return ok ? new PeersConfig(local, address, others) : null;
    }
}
