package dev.hsdo.model;

import java.util.regex.Pattern;

/**
 * Checks for every value that may end up in a Runtime API command, a config line or a map entry.
 * Each check rejects rather than repairs: a value that is not already safe never reaches HAProxy.
 */
public final class Tokens {
    // HAProxy identifiers accept letters, digits, '-', '_', '.', ':'; nothing that could split a command.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_./-]{1,128}");
    // Printable ASCII without space, ';', '#', quotes or backslash.
    private static final Pattern META_VALUE = Pattern.compile("[!$-&(-:<-\\[\\]-~]{0,256}");

    private Tokens() {}

    /** Whether {@code s} is a safe HAProxy object name (server, backend, frontend). */
    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** Whether {@code s} is an IPv4 or IPv6 literal, the only addresses hsdo sends to HAProxy. */
    public static boolean isIpLiteral(String s) {
        if (s == null) return false;
        if (IPV4.matcher(s).matches()) return true;
        if (!s.contains(":") || !IPV6.matcher(s).matches()) return false;
        return isIpv6(s);
    }

    // Parsed by hand: the JDK's parser before Java 22 falls back to a DNS lookup on bad input.
    private static boolean isIpv6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return false;
        String[] parts = s.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) continue;
            if (i == parts.length - 1 && p.contains(".")) {
                if (!IPV4.matcher(p).matches()) return false;
                groups += 2;
            } else if (p.length() > 4 || !p.matches("[0-9A-Fa-f]+")) {
                return false;
            } else {
                groups++;
            }
        }
        if (dc < 0) return groups == 8 && !s.startsWith(":") && !s.endsWith(":");
        if ((s.startsWith(":") && !s.startsWith("::")) || (s.endsWith(":") && !s.endsWith("::"))) return false;
        return groups < 8;
    }

    /** Whether {@code s} is a safe zone label. */
    public static boolean isZone(String s) {
        return s != null && ZONE.matcher(s).matches();
    }

    /** Whether {@code k} is a safe metadata key. */
    public static boolean isMetaKey(String k) {
        return k != null && META_KEY.matcher(k).matches();
    }

    /** Whether {@code v} is a safe metadata value: printable, no space, ';', '#', quote or backslash. */
    public static boolean isMetaValue(String v) {
        return v != null && META_VALUE.matcher(v).matches();
    }

    /** Quotes {@code s} for an error message so that control characters show. */
    public static String show(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('\'').toString();
    }

    /** Throws an {@link IllegalArgumentException} naming {@code what} and the value unless {@code ok}. */
    public static void require(boolean ok, String what, String value, String rule) {
        if (!ok) throw new IllegalArgumentException(what + ": invalid value " + show(value) + " (" + rule + ")");
    }
}
