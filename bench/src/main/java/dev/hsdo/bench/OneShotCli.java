package dev.hsdo.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One command per connection, the way the HSDO tool talked to HAProxy: connect, write the command and a
 * newline, read until HAProxy closes (without {@code prompt} it answers one command and hangs up), close.
 * Blocking I/O on purpose, the cheapest way to do it; the caller's {@link Watchdog} bounds a stuck read.
 */
final class OneShotCli {
    private OneShotCli() {}

    static String send(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) channel.write(request);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
