package dev.hsdo.bench;

import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.SocketRuntimeApi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applying 2000 server changes to a real HAProxy: all over one pipelined prompt-mode connection
 * ({@link SocketRuntimeApi}) against one connection per command ({@link OneShotCli}, the HSDO tool's way),
 * side by side in one run, taking turns going first, with a bare prompt-mode socket ({@link RawPrompt}) as
 * the floor. Also one {@code socat} process per command for the first 100 commands (extrapolated), and
 * 2000 {@code add server} + 2000 {@code del server} each way.
 *
 * <p>Usage: {@code ApplyBench <work dir> [rounds]}.
 */
public final class ApplyBench {
    private static final int SERVERS = 2000;
    private static final int SOCAT_COMMANDS = 100;
    private static final int SOCAT_ROUNDS = 3;
    private static final int WARMUP_ROUNDS = 3;
    /** Servers of the small backend, which shows what a weight change costs HAProxy without a big backend. */
    private static final int SMALL = 12;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private ApplyBench() {}

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        Path dir = Args.workDir(args, "ApplyBench <work dir> [rounds]");
        int rounds = Args.positive(args, 1, "rounds", 7);
        String body = """
                backend be
                  balance roundrobin
                  server-template s 1-%d 127.0.0.1:9 disabled
                backend dyn
                  balance uri
                  hash-type consistent
                backend small
                  balance roundrobin
                  server-template s 1-%d 127.0.0.1:9 disabled
                """.formatted(SERVERS, SMALL);
        try (Watchdog ignored = Watchdog.arm(LIMIT); Haproxy haproxy = Haproxy.start(dir, "apply", body)) {
            run(haproxy.socket, rounds);
        }
    }

    /** The ways of sending a batch, compared in every round in a rotating order. */
    private enum Way { CLIENT, PER_CONNECTION, RAW }

    private static void run(Path socket, int rounds) throws Exception {
        Map<Way, Samples> set = new EnumMap<>(Way.class), cycle = new EnumMap<>(Way.class);
        for (Way w : Way.values()) {
            set.put(w, new Samples());
            cycle.put(w, new Samples());
        }
        List<String> addDelete = addDelete();
        Samples small = new Samples();
        Way[] ways = Way.values();
        for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
            List<String> weights = weights(r + WARMUP_ROUNDS);
            for (int k = 0; k < ways.length; k++) {
                // Rotate who goes first, so that neither gains from running after the other.
                Way way = ways[Math.floorMod(k + r, ways.length)];
                long setNanos = send(way, socket, weights);
                long cycleNanos = send(way, socket, addDelete);
                if (r < 0) continue;
                set.get(way).add(setNanos);
                cycle.get(way).add(cycleNanos);
            }
            long smallNanos = raw(socket, smallWeights(r + WARMUP_ROUNDS));
            if (r >= 0) small.add(smallNanos);
        }
        verifyWeights(socket.toString(), weights(rounds - 1 + WARMUP_ROUNDS));
        Samples socat = new Samples();
        for (int r = 0; r < SOCAT_ROUNDS; r++) socat.add(socat(socket, weights(r).subList(0, SOCAT_COMMANDS)));

        System.out.printf("apply: %d rounds after %d warm-up rounds; the ways take turns going first%n", rounds, WARMUP_ROUNDS);
        System.out.println();
        System.out.println("| case | commands | median ms | min ms | max ms |");
        System.out.println("| --- | --- | --- | --- | --- |");
        row("(a) set server weight, one pipelined connection (SocketRuntimeApi)", SERVERS, set.get(Way.CLIENT));
        row("(b) set server weight, one connection per command", SERVERS, set.get(Way.PER_CONNECTION));
        System.out.printf("| (c) set server weight, one socat per command: first %d, × %d | %d | ~%.0f | ~%.0f | ~%.0f |%n",
                SOCAT_COMMANDS, SERVERS / SOCAT_COMMANDS, SERVERS, socat.medianMs() * SERVERS / SOCAT_COMMANDS,
                socat.minMs() * SERVERS / SOCAT_COMMANDS, socat.maxMs() * SERVERS / SOCAT_COMMANDS);
        row("(a0) set server weight, raw prompt socket, replies counted only", SERVERS, set.get(Way.RAW));
        row("(a1) the same 2000 set server weight on a " + SMALL + "-server backend, raw prompt socket", SERVERS, small);
        row("(d) add server + del server, one pipelined connection (SocketRuntimeApi)", 2 * SERVERS, cycle.get(Way.CLIENT));
        row("(e) add server + del server, one connection per command", 2 * SERVERS, cycle.get(Way.PER_CONNECTION));
        row("(d0) add server + del server, raw prompt socket, replies counted only", 2 * SERVERS, cycle.get(Way.RAW));
        System.out.println();
        ratio("b/a", set.get(Way.PER_CONNECTION), set.get(Way.CLIENT));
        System.out.printf("ratio c/a (extrapolated): median %.0f×%n",
                socat.medianMs() * SERVERS / SOCAT_COMMANDS / set.get(Way.CLIENT).medianMs());
        ratio("a/a0", set.get(Way.CLIENT), set.get(Way.RAW));
        ratio("e/d", cycle.get(Way.PER_CONNECTION), cycle.get(Way.CLIENT));
        double median = set.get(Way.CLIENT).medianMs();
        System.out.printf("target: 2000 pipelined set server under 50 ms: %s (median %.1f ms)%n", median < 50 ? "met" : "NOT met", median);
    }

    private static void ratio(String name, Samples slow, Samples fast) {
        System.out.printf("ratio %s: median %.1f×, min %.1f×%n", name, slow.medianMs() / fast.medianMs(), slow.minMs() / fast.minMs());
    }

    private static long send(Way way, Path socket, List<String> commands) throws Exception {
        return switch (way) {
            case CLIENT -> pipelined(socket.toString(), commands);
            case PER_CONNECTION -> perConnection(socket, commands);
            case RAW -> raw(socket, commands);
        };
    }

    private static long raw(Path socket, List<String> commands) throws Exception {
        long t0 = System.nanoTime();
        RawPrompt.send(socket, commands);
        return System.nanoTime() - t0;
    }

    private static void row(String name, int commands, Samples s) {
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", name, commands, s.medianMs(), s.minMs(), s.maxMs());
    }

    /** A new weight for every server, different from the previous round's. */
    private static List<String> weights(int round) {
        List<String> commands = new ArrayList<>(SERVERS);
        for (int i = 1; i <= SERVERS; i++) commands.add("set server be/s" + i + " weight " + weight(i, round));
        return commands;
    }

    /** As many weight changes as {@link #weights}, spread over the small backend's servers. */
    private static List<String> smallWeights(int round) {
        List<String> commands = new ArrayList<>(SERVERS);
        for (int i = 1; i <= SERVERS; i++) commands.add("set server small/s" + (1 + i % SMALL) + " weight " + weight(i, round));
        return commands;
    }

    private static int weight(int server, int round) {
        return 1 + (server + round) % 256;
    }

    /** Every server added to a consistent-hash backend, then every one deleted (they start in maint). */
    private static List<String> addDelete() {
        List<String> commands = new ArrayList<>(2 * SERVERS);
        for (int i = 1; i <= SERVERS; i++) commands.add("add server dyn/d" + i + " 127.0.0.1:9 id " + i + " weight 100");
        for (int i = 1; i <= SERVERS; i++) commands.add("del server dyn/d" + i);
        return commands;
    }

    /** Connect, send every command at once, read every reply, close: the whole cost of applying a batch. */
    private static long pipelined(String address, List<String> commands) throws Exception {
        long t0 = System.nanoTime();
        List<Reply> replies;
        try (RuntimeApi api = SocketRuntimeApi.connect(address, TIMEOUT)) {
            replies = api.execute(commands);
        }
        long elapsed = System.nanoTime() - t0;
        for (Reply r : replies) if (!r.ok() || !expected(r.command(), r.output())) throw new IllegalStateException("pipelined: " + r);
        return elapsed;
    }

    private static long perConnection(Path socket, List<String> commands) throws IOException {
        long t0 = System.nanoTime();
        List<String> outputs = new ArrayList<>(commands.size());
        for (String c : commands) outputs.add(OneShotCli.send(socket, c));
        long elapsed = System.nanoTime() - t0;
        for (int i = 0; i < commands.size(); i++)
            if (!expected(commands.get(i), outputs.get(i)))
                throw new IllegalStateException("per connection: " + commands.get(i) + " → " + outputs.get(i));
        return elapsed;
    }

    /** One {@code socat} process per command, as a shell script would do it. */
    private static long socat(Path socket, List<String> commands) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (String c : commands) {
            Process p = new ProcessBuilder("socat", "stdio", "unix-connect:" + socket).redirectErrorStream(true).start();
            try {
                try (OutputStream in = p.getOutputStream()) {
                    in.write((c + "\n").getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0 || !expected(c, out))
                    throw new IllegalStateException("socat: " + c + " → " + out);
            } finally {
                p.destroyForcibly();
            }
        }
        return System.nanoTime() - t0;
    }

    /** Whether {@code output} is HAProxy's success answer to {@code command}. */
    private static boolean expected(String command, String output) {
        String out = output.strip();
        if (command.startsWith("set server")) return out.isEmpty();
        if (command.startsWith("add server")) return out.equals("New server registered.");
        if (command.startsWith("del server")) return out.equals("Server deleted.");
        throw new IllegalArgumentException(command);
    }

    /** Checks through {@code show servers state} that HAProxy holds the weights the last round set. */
    private static void verifyWeights(String address, List<String> last) throws Exception {
        String state;
        try (RuntimeApi api = SocketRuntimeApi.connect(address, TIMEOUT)) {
            state = api.call("show servers state be");
        }
        int checked = 0;
        for (String line : state.split("\n")) {
            String[] f = line.trim().split(" ");
            // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight ...
            if (f.length < 8 || line.startsWith("#") || !f[3].startsWith("s")) continue;
            int server = Integer.parseInt(f[3].substring(1));
            String expected = "weight " + Integer.parseInt(f[7]);
            if (!last.get(server - 1).endsWith(" " + expected))
                throw new IllegalStateException("server s" + server + " has " + expected + ", wanted: " + last.get(server - 1));
            checked++;
        }
        if (checked != SERVERS) throw new IllegalStateException("show servers state listed " + checked + " of " + SERVERS + " servers");
    }
}
