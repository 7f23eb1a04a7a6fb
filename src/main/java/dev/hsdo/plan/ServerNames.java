package dev.hsdo.plan;

import dev.hsdo.model.Tokens;

import java.util.HexFormat;

/**
 * Derives HAProxy server names from endpoint identities. An identity that is already a valid name is
 * used as is ({@code web1}, {@code 10.0.0.7:8080}); any other (an IPv6 {@code [::1]:80}) has its other
 * characters replaced and a short hash appended, so two identities never share a name.
 */
public final class ServerNames {
    private static final int MAX = 64;

    private ServerNames() {}

    /** The server name for {@code identity}. */
    public static String of(String identity) {
        if (Tokens.isName(identity)) return identity;
        String hash = HexFormat.of().formatHex(ServerIds.sha256(identity), 0, 4);
        StringBuilder b = new StringBuilder();
        for (char c : identity.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            b.append(ok ? c : '_');
        }
        String base = b.length() > MAX - 9 ? b.substring(0, MAX - 9) : b.toString();
        return base + "-" + hash;
    }
}
