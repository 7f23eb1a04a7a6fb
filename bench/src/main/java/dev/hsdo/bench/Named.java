package dev.hsdo.bench;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * BIND 9 ({@code named -g}) on 127.0.0.1 serving zone {@code svc.test} with signed dynamic updates, as a
 * child process stopped by its PID (and by a shutdown hook if the JVM is interrupted).
 */
final class Named implements AutoCloseable {
    static final String ZONE = "svc.test.";
    private final Path dir;
    private final int port;
    private final TSIG key;
    private final Thread hook;
    private Process process;

    private Named(Path dir, int port, TSIG key) {
        this.dir = dir;
        this.port = port;
        this.key = key;
        this.hook = new Thread(() -> {
            if (process != null) process.destroyForcibly();
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Writes config and zone ({@code records} after SOA and NS) into {@code dir} and starts named. */
    static Named start(Path dir, List<String> records) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String b64 = Base64.getEncoder().encodeToString(secret);
        int port = Haproxy.freePorts(1).getFirst();
        Files.writeString(dir.resolve("named.conf"), """
                key "bench" { algorithm hmac-sha256; secret "%4$s"; };
                options {
                  directory "%1$s"; pid-file "%1$s/named.pid"; session-keyfile "%1$s/session.key";
                  managed-keys-directory "%1$s";
                  listen-on port %2$d { 127.0.0.1; }; listen-on-v6 { none; };
                  recursion no; dnssec-validation no; allow-query { 127.0.0.1; };
                };
                controls { };
                zone "%3$s" { type primary; file "%1$s/zone.db"; allow-update { key bench; }; };
                """.formatted(dir, port, ZONE, b64));
        Files.writeString(dir.resolve("zone.db"), "$TTL 1\n@ IN SOA ns1 admin ( 1 60 60 3600 1 )\n  IN NS ns1\nns1 IN A 127.0.0.1\n"
                + String.join("\n", records) + "\n");
        Named n = new Named(dir, port, new TSIG(TSIG.HMAC_SHA256, Name.fromString("bench."), b64));
        n.start();
        return n;
    }

    int port() {
        return port;
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("named.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
                r.setTimeout(Duration.ofMillis(200));
                if (r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(ZONE), Type.SOA, 1))).getRcode() == Rcode.NOERROR)
                    return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline)
                    throw new IOException("named did not start: " + Files.readString(dir.resolve("named.log")), notYet);
            }
            Thread.sleep(50);
        }
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    /** Adds ({@code add}) or deletes one SRV record {@code 10 50 port target} at each owner, in one signed update. */
    void srv(boolean add, List<String> owners, int port, String target) throws IOException {
        Update u = new Update(Name.fromString(ZONE));
        for (String owner : owners) {
            String rdata = "10 50 " + port + " " + target + "." + ZONE;
            if (add) u.add(Name.fromString(owner + "." + ZONE), Type.SRV, 1, rdata);
            else u.delete(Name.fromString(owner + "." + ZONE), Type.SRV, rdata);
        }
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port()));
        r.setTCP(true);
        r.setTSIGKey(key);
        Message reply = r.send(u);
        if (reply.getRcode() != Rcode.NOERROR) throw new IOException("update refused: " + Rcode.string(reply.getRcode()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran already
        }
    }
}
