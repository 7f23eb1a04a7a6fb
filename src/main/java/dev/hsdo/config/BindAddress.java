package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A listening address {@code host:port} as written in {@code hsdo.yaml}: host is {@code *}, an IPv4 literal,
 * {@code [IPv6]} or {@code localhost}.
 *
 * @param host the host part as written ({@code *}, {@code 0.0.0.0}, {@code 127.0.0.1}, {@code [::1]}, {@code localhost})
 * @param port 1..65535
 */
public record BindAddress(String host, int port) {
    private static final Pattern BIND = Pattern.compile("(\\*|localhost|[0-9.]+|\\[[0-9A-Fa-f:.]+]):(\\d{1,5})");

    public BindAddress {
        if (!validHost(host)) throw new IllegalArgumentException("host must be *, localhost, IPv4 or [IPv6], got " + Tokens.show(host));
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException saying what is wrong (without repeating the value)
     */
    public static BindAddress parse(String text) {
        Matcher m = BIND.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("expected host:port with host *, localhost, IPv4 or [IPv6]");
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
        if (!validHost(m.group(1))) throw new IllegalArgumentException("host is not an IP literal");
        return new BindAddress(m.group(1), port);
    }

    /** Whether only this machine can connect: 127.0.0.0/8, {@code [::1]} or {@code localhost}. */
    public boolean isLoopback() {
        return host.equals("localhost") || host.equals("[::1]") || host.startsWith("127.");
    }

    /** The host without IPv6 brackets, suitable for opening a socket ({@code 0.0.0.0} for {@code *}). */
    public String socketHost() {
        if (host.equals("*")) return "0.0.0.0";
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    private static boolean validHost(String host) {
        if (host == null) return false;
        if (host.equals("*") || host.equals("localhost")) return true;
        if (host.startsWith("[") && host.endsWith("]")) {
            String inner = host.substring(1, host.length() - 1);
            return inner.contains(":") && Tokens.isIpLiteral(inner);
        }
        return !host.contains(":") && Tokens.isIpLiteral(host);
    }
}
