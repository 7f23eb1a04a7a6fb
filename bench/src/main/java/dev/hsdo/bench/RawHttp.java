package dev.hsdo.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET per TCP connection ({@code Connection: close}, no keep-alive, no retry): what the client
 * sees is exactly what the proxy did with that one request. Bounded: 1 s to connect, 5 s per read.
 */
final class RawHttp {
    /** One answer: a status and body, or {@code status} 0 and {@code body} naming the failure. */
    record Answer(int status, String body) {
        boolean ok() {
            return status == 200;
        }

        /** What answered, for comparing routes: the body of a 200, else the status or failure. */
        String who() {
            return ok() ? body : status == 0 ? body : "status " + status;
        }

        /** The kind of failure, for tallies: {@code refused}, {@code timeout}, {@code reset}, {@code 503}, ... */
        String kind() {
            return status == 0 ? body : Integer.toString(status);
        }
    }

    private RawHttp() {}

    static Answer get(int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String text = readAll(s.getInputStream());
            if (!text.startsWith("HTTP/1.")) return new Answer(0, text.isEmpty() ? "empty" : "garbled");
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Answer(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4).trim());
        } catch (ConnectException e) {
            return new Answer(0, "refused");
        } catch (SocketTimeoutException e) {
            return new Answer(0, "timeout");
        } catch (IOException | RuntimeException e) {
            return new Answer(0, "reset");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0 && out.size() < 65536; ) out.write(buf, 0, n);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
