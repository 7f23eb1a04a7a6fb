package dev.hsdo.discovery.dns;

import dev.hsdo.config.DnsSourceConfig.PriorityPolicy;
import dev.hsdo.config.DnsSourceConfig.WeightPolicy;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns an SRV answer into endpoints. Pure: no I/O, and the same answer gives the same endpoints whatever
 * order the records came in.
 *
 * <p>An endpoint's identity is its target's host name and port ({@code node1.svc.test:20101}), so a target
 * whose address changes keeps its server id and its place on the ring. A target with several addresses
 * is reached at its lowest IPv4 address (its lowest IPv6 address if it has no IPv4 one); a target listed
 * twice with one port keeps its preferred record (lowest priority, then highest weight). Under the
 * {@code backup} priority policy the targets of every priority but the lowest become backup servers.
 */
public final class SrvEndpoints {
    private static final Pattern HOST = Pattern.compile("[a-z0-9_-]{1,63}(\\.[a-z0-9_-]{1,63})*");
    private static final int MAX_IDENTITY = 64;
    private static final int HASH_HEX = 8;

    /**
     * The endpoints and the targets skipped.
     *
     * @param endpoints sorted by identity
     * @param rejected  one message per skipped target, naming the SRV name and the target
     */
    public record Result(List<Endpoint> endpoints, List<String> rejected) {
        public Result {
            endpoints = List.copyOf(endpoints);
            rejected = List.copyOf(rejected);
        }
    }

    private record Candidate(int priority, int weight, Endpoint endpoint) {}

    private static final Comparator<Candidate> PREFERRED =
            Comparator.comparingInt(Candidate::priority).thenComparing(Comparator.comparingInt(Candidate::weight).reversed());

    private SrvEndpoints() {}

    /** The endpoints {@code answer} describes for {@code srvName} under the two policies. */
    public static Result of(String srvName, SrvAnswer answer, PriorityPolicy priorities, WeightPolicy weights) {
        List<String> rejected = new ArrayList<>();
        Map<String, Candidate> byIdentity = new TreeMap<>();
        for (SrvAnswer.Srv r : answer.records()) {
            // RFC 2782: a target of "." says the service is decidedly not available here.
            if (r.target().equals(".")) continue;
            String where = srvName + ": target " + Tokens.show(r.target()) + " port " + r.port();
            try {
                String address = address(answer.addresses().get(r.target()));
                if (address == null) {
                    rejected.add(where + ": no A or AAAA record (skipped)");
                    continue;
                }
                Integer weight = weights == WeightPolicy.SRV ? Math.clamp(r.weight(), 1, 256) : null;
                Endpoint e = new Endpoint(identity(r.target(), r.port()), address, r.port(), weight, null, Map.of());
                Candidate c = new Candidate(r.priority(), r.weight(), e);
                byIdentity.merge(e.identity(), c, (a, b) -> PREFERRED.compare(a, b) <= 0 ? a : b);
            } catch (IllegalArgumentException ex) {
                rejected.add(where + ": " + ex.getMessage());
            }
        }
        int lowest = byIdentity.values().stream().mapToInt(Candidate::priority).min().orElse(0);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Candidate c : byIdentity.values()) {
            Endpoint e = c.endpoint();
            if (c.priority() == lowest || priorities == PriorityPolicy.ALL) endpoints.add(e);
            else if (priorities == PriorityPolicy.BACKUP)
                endpoints.add(new Endpoint(e.name(), e.address(), e.port(), e.weight(), e.zone(), e.meta(), true));
        }
        return new Result(endpoints, rejected);
    }

    /**
     * The identity of {@code target} at {@code port}: the host name without its trailing dot, in lower case,
     * then {@code :port}. A name too long for a server name keeps its start and gets a hash of the whole.
     *
     * @throws IllegalArgumentException when the target is not a plain host name
     */
    public static String identity(String target, int port) {
        String host = target.toLowerCase(java.util.Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (!HOST.matcher(host).matches())
            throw new IllegalArgumentException("not a host name (letters, digits, '-', '_' between dots)");
        String suffix = ":" + port;
        if (host.length() + suffix.length() <= MAX_IDENTITY) return host + suffix;
        String hash = HexFormat.of().formatHex(sha256(host), 0, HASH_HEX / 2);
        return host.substring(0, MAX_IDENTITY - suffix.length() - HASH_HEX - 1) + "-" + hash + suffix;
    }

    /** The address a target is reached at, or null when it has none. */
    private static String address(List<String> addresses) {
        if (addresses == null || addresses.isEmpty()) return null;
        List<String> v4 = addresses.stream().filter(a -> !a.contains(":")).sorted().toList();
        if (!v4.isEmpty()) return v4.get(0);
        return addresses.stream().sorted().findFirst().orElse(null);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
