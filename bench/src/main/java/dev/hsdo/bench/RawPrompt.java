package dev.hsdo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The floor for a pipelined batch: prompt mode on one connection, every command written at once, replies
 * only counted (each ends with {@code "\n> "}), never parsed or checked. It tells how much of the project
 * client's time is HAProxy and the socket, and how much is the client's own work.
 */
final class RawPrompt {
    private RawPrompt() {}

    /** Sends {@code prompt} and the commands, and returns once as many prompts as commands came back. */
    static void send(Path socket, List<String> commands) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder("prompt\n");
        for (String c : commands) text.append(c).append('\n');
        ByteBuffer request = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // Written from another thread: a large batch may fill the socket before HAProxy's replies are read.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    while (request.hasRemaining()) channel.write(request);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int prompts = 0, wanted = commands.size() + 1;
            int last2 = 0; // the two bytes before the current one, to find "\n> " across reads
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (prompts < wanted) {
                buffer.clear();
                if (channel.read(buffer) < 0) throw new IOException("HAProxy closed after " + prompts + " of " + wanted + " replies");
                for (int i = 0; i < buffer.position(); i++) {
                    int b = buffer.get(i) & 0xff;
                    if (b == ' ' && last2 == ('\n' << 8 | '>')) prompts++;
                    last2 = (last2 << 8 | b) & 0xffff;
                }
            }
            writer.join();
        }
    }
}
