package dev.hsdo.discovery.consul;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Consul's HTTP API, the part hsdo reads: {@code GET /v1/health/service/<name>} with blocking-query
 * parameters. Uses the JDK's HTTP client; no Consul library.
 */
final class ConsulClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // Consul adds up to wait/16 of jitter to a blocking query; this margin covers that and a slow network.
    private static final Duration MARGIN = Duration.ofSeconds(10);

    /**
     * One answer.
     *
     * @param index its {@code X-Consul-Index}, 0 when absent
     * @param body  the JSON text
     */
    record Answer(long index, String body) {
    }

    /** Consul (or a proxy before it) answered HTTP 429: it asks to be asked less often. */
    static final class SlowDown extends IOException {
        SlowDown(String message) {
            super(message);
        }
    }

    private final URI base;
    private final String datacenter;
    private final String token;
    private final HttpClient http;

    /**
     * @param base       {@code http://host:port} or {@code https://host:port}
     * @param datacenter the {@code dc} parameter, or null
     * @param token      the ACL token, or null
     * @param caFile     PEM CAs to trust for https, or null for the system's
     * @throws IOException when the CA file cannot be read or holds no certificate
     */
    ConsulClient(URI base, String datacenter, String token, Path caFile) throws IOException {
        this.base = base;
        this.datacenter = datacenter;
        this.token = token;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if (caFile != null) b.sslContext(trusting(caFile));
        this.http = b.build();
    }

    /**
     * Asks for the instances of {@code service}. With {@code index > 0} this is a blocking query: Consul
     * answers when its index passes {@code index}, or after about {@code wait} with the same index.
     *
     * @throws IOException on a failed connection, a timeout or a status other than 200; {@link SlowDown} on 429
     */
    Answer health(String service, long index, Duration wait) throws IOException, InterruptedException {
        return answer(service, start(service, index, wait));
    }

    /**
     * Starts the query {@link #health} makes; cancelling the future aborts it. {@link #answer} waits for it.
     */
    CompletableFuture<HttpResponse<String>> start(String service, long index, Duration wait) {
        StringBuilder url = new StringBuilder(base.toString()).append("/v1/health/service/")
                .append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        char sep = '?';
        if (index > 0) {
            url.append("?index=").append(index).append("&wait=").append(wait.toMillis()).append("ms");
            sep = '&';
        }
        if (datacenter != null) url.append(sep).append("dc=").append(URLEncoder.encode(datacenter, StandardCharsets.UTF_8));
        Duration timeout = index > 0 ? wait.plus(wait.dividedBy(16)).plus(MARGIN) : MARGIN;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout).GET();
        if (token != null) request.header("X-Consul-Token", token);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Waits for a query from {@link #start} and checks its answer, as {@link #health} describes. */
    Answer answer(String service, CompletableFuture<HttpResponse<String>> query) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = query.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("consul " + base + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            query.cancel(true);
            throw e;
        }
        if (response.statusCode() == 429)
            throw new SlowDown("HTTP 429 (too many requests) from " + base + " for service " + service + ": " + firstLine(response.body()));
        if (response.statusCode() != 200)
            throw new IOException("HTTP " + response.statusCode() + " from " + base + " for service " + service + ": "
                    + firstLine(response.body()));
        long answerIndex = response.headers().firstValue("X-Consul-Index").map(ConsulClient::index).orElse(0L);
        return new Answer(answerIndex, response.body());
    }

    private static long index(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // Error bodies are plain text from Consul, or anything from a proxy in between: keep them short and printable.
    private static String firstLine(String body) {
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        line = line.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** An SSL context trusting only the certificates in {@code pem}. */
    static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw new IOException(pem + ": no certificate found");
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) store.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
