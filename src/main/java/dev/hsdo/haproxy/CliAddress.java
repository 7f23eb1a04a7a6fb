package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where HAProxy's Runtime API listens: a unix socket path or a TCP host and port.
 *
 * @param unixPath the socket file, or null for TCP
 * @param host     an IP literal or a host name, or null for a unix socket
 * @param port     the TCP port (1-65535), or 0 for a unix socket
 */
public record CliAddress(Path unixPath, String host, int port) {
    private static final String FORMS = "expected unix@/path, /path, ipv4@HOST:PORT, HOST:PORT or [IPv6]:PORT";
    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

    public CliAddress {
        if ((unixPath == null) == (host == null)) {
            throw new IllegalArgumentException("Runtime API address needs exactly one of a unix path or a host");
        }
        if (unixPath != null && port != 0) throw new IllegalArgumentException("a unix socket address has no port: " + port);
        if (host != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("Runtime API port " + port + " of " + host + " is not in 1-65535");
        }
    }

    /**
     * Parses {@code unix@/path}, {@code /path}, {@code ipv4@127.0.0.1:9999}, {@code 127.0.0.1:9999},
     * {@code host:9999} or {@code [::1]:9999}.
     *
     * @throws IllegalArgumentException naming the address and what is wrong with it
     */
    public static CliAddress parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("Runtime API address is empty; " + FORMS);
        if (text.startsWith("unix@")) return unix(text, text.substring("unix@".length()));
        if (text.startsWith("/")) return unix(text, text);
        boolean ipv4Only = text.startsWith("ipv4@");
        String rest = ipv4Only ? text.substring("ipv4@".length()) : text;
        Matcher m = HOST_PORT.matcher(rest);
        if (!m.matches()) throw bad(text, "not a path and not HOST:PORT");
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        if (m.group(1) != null && !(Tokens.isIpLiteral(host) && host.contains(":"))) throw bad(text, "'" + host + "' is not an IPv6 literal");
        if (ipv4Only && !(Tokens.isIpLiteral(host) && !host.contains(":"))) throw bad(text, "'" + host + "' is not an IPv4 literal");
        if (m.group(2) != null && !Tokens.isIpLiteral(host) && !HOST_NAME.matcher(host).matches()) {
            throw bad(text, "'" + host + "' is neither an IP literal nor a host name");
        }
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) throw bad(text, "port " + port + " is not in 1-65535");
        return new CliAddress(null, host, port);
    }

    private static CliAddress unix(String text, String path) {
        if (path.isEmpty()) throw bad(text, "the socket path is empty");
        if (path.chars().anyMatch(Character::isISOControl)) throw bad(text, "the socket path contains a control character");
        return new CliAddress(Path.of(path), null, 0);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("Runtime API address " + Tokens.show(text) + ": " + why + "; " + FORMS);
    }

    /** Whether this is a unix socket. */
    public boolean isUnix() {
        return unixPath != null;
    }

    /** The address to connect to; a host name is resolved now, so a changed DNS answer is seen on reconnect. */
    SocketAddress socketAddress() {
        return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        if (isUnix()) return "unix@" + unixPath;
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
