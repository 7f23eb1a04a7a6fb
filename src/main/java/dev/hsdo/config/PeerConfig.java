package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.util.regex.Pattern;

/**
 * One HAProxy of the fleet in the {@code peers} section: the name it is started with ({@code localpeer}) and
 * the address its peer listener binds.
 *
 * @param name    1..64 of letters, digits, '-', '_', '.' (HAProxy reads it as a word, and it names the peer
 *                on every instance)
 * @param address {@code host:port} where host is an IPv4 literal, {@code [IPv6]} or a host name
 */
public record PeerConfig(String name, String address) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ADDRESS = Pattern.compile(
            "([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]+]):([0-9]{1,5})");

    public PeerConfig {
        Tokens.require(isName(name), "peer name", name, "letters, digits, '-', '_', '.', at most 64");
        String problem = addressProblem(address);
        if (problem != null) throw new IllegalArgumentException("peer " + name + ": " + problem);
    }

    /** Whether {@code s} is a valid peer name. */
    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** Why {@code s} is not a peer address ({@code host:port}), or null when it is one. */
    public static String addressProblem(String s) {
        var m = s == null ? null : ADDRESS.matcher(s);
        if (m == null || !m.matches())
            return "invalid address " + Tokens.show(s) + " (host:port with an IPv4 literal, [IPv6] or a host name)";
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) return "invalid address " + Tokens.show(s) + " (port 1..65535)";
        String host = m.group(1);
        if (host.startsWith("[") && !Tokens.isIpLiteral(host.substring(1, host.length() - 1)))
            return "invalid address " + Tokens.show(s) + " (not an IPv6 literal)";
        return null;
    }

    /** {@code s} made into a peer name: every character outside the allowed ones becomes '-', cut to 64. */
    public static String sanitize(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }
}
