package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which {@code balance} and {@code hash-type} values hsdo accepts. Only algorithms that take dynamic
 * servers ({@code add server}) are allowed, and hashing ones only with {@code hash-type consistent}, the
 * one method whose ring depends on server ids alone.
 */
final class BalanceRules {
    private record Algorithm(Pattern syntax, boolean hashing, boolean httpOnly) {
        Algorithm(String regex, boolean hashing, boolean httpOnly) {
            this(Pattern.compile(regex), hashing, httpOnly);
        }
    }

    private static final String ARG = "[A-Za-z0-9_.-]{1,64}";
    private static final List<Algorithm> ALGORITHMS = List.of(
            new Algorithm("roundrobin", false, false),
            new Algorithm("leastconn", false, false),
            new Algorithm("first", false, false),
            new Algorithm("random(\\([1-9][0-9]{0,2}\\))?", false, false),
            new Algorithm("source", true, false),
            new Algorithm("uri( (whole|path-only|len [1-9][0-9]{0,4}|depth [1-9][0-9]{0,2}))*", true, true),
            new Algorithm("url_param " + ARG + "( check_post)?", true, true),
            new Algorithm("hdr\\(" + ARG + "\\)( use_domain_only)?", true, true),
            new Algorithm("rdp-cookie(\\(" + ARG + "\\))?", true, false));
    private static final String EXPECTED =
            "roundrobin, leastconn, first, random, source, uri, url_param <param>, hdr(<name>), rdp-cookie(<name>)";
    private static final Pattern HASH_TYPE = Pattern.compile("consistent( (sdbm|djb2|wt6|crc32))?( avalanche)?");

    private BalanceRules() {}

    /** Collapses runs of spaces so that {@code "uri  whole"} and {@code "uri whole"} are one value. */
    static String normalize(String s) {
        return s.strip().replaceAll(" +", " ");
    }

    /** Why {@code balance} cannot be used in a backend of {@code mode}, or null if it can. */
    static String problem(String balance, Mode mode) {
        if (balance.equals("static-rr"))
            return "'static-rr' cannot be used: dynamic servers need a dynamic algorithm (use roundrobin)";
        Algorithm a = find(balance);
        if (a == null) return "unknown value " + Tokens.show(balance) + " (expected one of " + EXPECTED + ")";
        if (a.httpOnly && mode != Mode.HTTP)
            return Tokens.show(balance) + " needs mode http (the backend is mode " + mode.word() + ")";
        return null;
    }

    /** Whether {@code balance} hashes a key and so needs {@code hash-type consistent}. */
    static boolean isHashing(String balance) {
        Algorithm a = find(balance);
        return a != null && a.hashing;
    }

    /** Why {@code hashType} cannot be used, or null if it can. */
    static String hashTypeProblem(String hashType) {
        if (HASH_TYPE.matcher(hashType).matches()) return null;
        if (hashType.startsWith("map-based"))
            return Tokens.show(hashType) + " cannot be used: map-based cannot take dynamic servers (use consistent)";
        return "unknown value " + Tokens.show(hashType)
                + " (expected consistent, optionally followed by sdbm, djb2, wt6 or crc32, then avalanche)";
    }

    private static Algorithm find(String balance) {
        for (Algorithm a : ALGORITHMS) if (a.syntax.matcher(balance).matches()) return a;
        return null;
    }
}
