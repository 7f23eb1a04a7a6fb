package dev.hsdo.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command per connection over a unix socket. Without {@code prompt}, HAProxy's stats socket and master
 * CLI both answer one command and close, so the answer is everything up to end of stream. The supervisor
 * needs only a handful of such calls; the reconciler's pipelined traffic goes through {@link RuntimeApi}.
 */
final class UnixCli {
    private UnixCli() {}

    /**
     * Sends {@code command} and returns everything HAProxy writes until it closes the connection.
     *
     * @throws SocketTimeoutException when the answer does not end within {@code timeout}
     * @throws IOException            when the socket refuses the connection or fails
     */
    static String send(Path socket, String command, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             Selector selector = Selector.open()) {
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) channel.write(request);
            // The master CLI answers only once it sees the end of the request.
            channel.shutdownOutput();
            // Non-blocking reads under a selector: a blocking channel has no read timeout.
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (true) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0)
                    throw new SocketTimeoutException(socket + ": no end of answer to '" + command + "' within " + timeout);
                selector.select(leftMs);
                selector.selectedKeys().clear();
                int n = channel.read(buffer);
                if (n < 0) return answer.toString(StandardCharsets.UTF_8);
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }
}
