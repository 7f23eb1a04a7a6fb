package dev.hsdo.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real BIND 9 on 127.0.0.1 (a free port), serving one zone that takes dynamic updates signed with a TSIG
 * key, as TESTING.md describes. It runs in the foreground as a child process, stopped by its PID; its files
 * (config, zone, journal, log) live in the directory it is given, which must be fresh.
 */
public final class Bind9 implements AutoCloseable {
    private static final String KEY_NAME = "ddns-key";
    private static final Duration READY = Duration.ofSeconds(15);

    private final Path dir;
    private final String zone;
    private final int port;
    private final TSIG key;
    private Process named;

    private Bind9(Path dir, String zone, int port, TSIG key) {
        this.dir = dir;
        this.zone = zone;
        this.port = port;
        this.key = key;
    }

    /**
     * Writes config and zone into {@code dir} and starts {@code named}; returns once it answers.
     *
     * @param zone    the zone, e.g. {@code svc.test}
     * @param records zone file lines after SOA and NS, e.g. {@code node1 IN A 127.0.0.1}
     */
    public static Bind9 start(Path dir, String zone, List<String> records) {
        try {
            Files.createDirectories(dir);
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String b64 = Base64.getEncoder().encodeToString(secret);
            int port = Ports.free();
            Files.writeString(dir.resolve("ddns.key"), "key \"" + KEY_NAME + "\" {\n  algorithm hmac-sha256;\n  secret \"" + b64 + "\";\n};\n");
            Files.writeString(dir.resolve("named.conf"), """
                    include "%1$s/ddns.key";
                    options {
                      directory "%1$s"; pid-file "%1$s/named.pid"; session-keyfile "%1$s/session.key";
                      managed-keys-directory "%1$s";
                      listen-on port %2$d { 127.0.0.1; }; listen-on-v6 { none; };
                      recursion no; dnssec-validation no; allow-query { 127.0.0.1; };
                    };
                    controls { };
                    zone "%3$s" { type primary; file "%1$s/zone.db"; allow-update { key %4$s; }; };
                    """.formatted(dir, port, zone, KEY_NAME));
            StringBuilder z = new StringBuilder("$TTL 30\n@ IN SOA ns1." + zone + ". admin." + zone + ". ( 1 60 60 3600 1 )\n"
                    + "  IN NS ns1." + zone + ".\nns1 IN A 127.0.0.1\n");
            for (String r : records) z.append(r).append('\n');
            Files.writeString(dir.resolve("zone.db"), z);
            Bind9 b = new Bind9(dir, zone, port, new TSIG(TSIG.HMAC_SHA256, Name.fromString(KEY_NAME + "."), b64));
            b.start();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up bind9 in " + dir, e);
        }
    }

    /** Starts {@code named} again after {@link #stop()}, on the same port with the same zone and journal. */
    public synchronized void start() {
        if (named != null && named.isAlive()) throw new IllegalStateException("named is already running");
        try {
            named = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("named.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run named (apt-get install bind9)", e);
        }
        await().atMost(READY).ignoreExceptions().until(() -> {
            if (!named.isAlive()) throw new AssertionError("named exited: " + Files.readString(dir.resolve("named.log")));
            return soaAnswers();
        });
    }

    private boolean soaAnswers() throws IOException {
        SimpleResolver r = resolver(false);
        Message reply = r.send(Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)));
        return reply.getRcode() == Rcode.NOERROR;
    }

    /** Stops {@code named} (SIGTERM, then SIGKILL) and waits for it to exit. */
    public synchronized void stop() {
        if (named == null) return;
        named.destroy();
        try {
            if (!named.waitFor(5, TimeUnit.SECONDS)) {
                named.destroyForcibly();
                named.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        named = null;
    }

    /** The DNS port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as {@code DISCOVERY_DNS_SERVERS} and {@code servers} take it. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    /** A new dynamic update of this zone; fill it, then {@link #send} it. */
    public Update update() {
        try {
            return new Update(Name.fromString(zone + "."));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The absolute name of {@code relative} in this zone. */
    public Name name(String relative) {
        try {
            return Name.fromString(relative + "." + zone + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends a signed dynamic update over TCP and checks that the server applied it. */
    public void send(Update update) {
        try {
            SimpleResolver r = resolver(true);
            r.setTSIGKey(key);
            Message reply = r.send(update);
            if (reply.getRcode() != Rcode.NOERROR)
                throw new IllegalStateException("update refused: " + Rcode.string(reply.getRcode()) + "\n" + update);
        } catch (IOException e) {
            throw new UncheckedIOException("update failed", e);
        }
    }

    /** Adds one SRV record {@code priority weight port target} at {@code owner} (relative names), TTL 1 s. */
    public void addSrv(String owner, int priority, int weight, int port, String target) {
        Update u = update();
        try {
            u.add(name(owner), Type.SRV, 1, priority + " " + weight + " " + port + " " + name(target));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        send(u);
    }

    /** Deletes one SRV record {@code priority weight port target} at {@code owner}. */
    public void deleteSrv(String owner, int priority, int weight, int port, String target) {
        Update u = update();
        try {
            u.delete(name(owner), Type.SRV, priority + " " + weight + " " + port + " " + name(target));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        send(u);
    }

    private SimpleResolver resolver(boolean tcp) {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        r.setTimeout(Duration.ofSeconds(2));
        r.setTCP(tcp);
        return r;
    }

    @Override
    public void close() {
        stop();
    }
}
