package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One open Runtime API connection in prompt mode. Writing and reading happen in one non-blocking loop,
 * so a batch larger than both socket buffers cannot deadlock (HAProxy stops reading commands while its
 * replies are not read), and every wait is bounded by the batch's deadline — also on unix sockets,
 * which have no read timeout of their own. Not thread-safe: {@link SocketRuntimeApi} serialises use.
 */
final class CliConnection implements Closeable {
    private static final ByteBuffer PROMPT_ON = ByteBuffer.wrap("prompt\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final ByteBuffer SHOW_INFO = ByteBuffer.wrap("show info\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

    private CliConnection(SocketChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
    }

    /** Connects and switches to prompt mode, both before {@code deadline} ({@link System#nanoTime()}). */
    static CliConnection open(CliAddress address, long deadline) throws IOException {
        SocketAddress target = address.socketAddress();
        if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + inet.getHostString());
        }
        SocketChannel channel = address.isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            CliConnection c = new CliConnection(channel, selector);
            c.connect(target, deadline);
            String ack = c.exchange(PROMPT_ON.duplicate(), 1, deadline).getFirst();
            if (!ack.isEmpty()) throw new IOException("unexpected answer to 'prompt', is this HAProxy's stats socket? " + Tokens.show(ack));
            return c;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) selector.close();
            throw e;
        }
    }

    /**
     * Whether HAProxy has closed this idle connection (its process ended) or sent something unasked.
     * Either way the connection cannot carry a new batch.
     */
    boolean isStale() {
        try {
            readBuffer.clear();
            return channel.read(readBuffer) != 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Whether the process behind this connection is stopping. Measured on 2.6: after a master-worker reload an
     * open prompt session stays with the old worker (which reports {@code Stopping: 1}) until hard-stop-after,
     * and commands sent there change nothing that serves traffic.
     */
    boolean isStopping(long deadline) throws IOException {
        String info = exchange(SHOW_INFO.duplicate(), 1, deadline).getFirst();
        return info.contains("\nStopping: 1\n");
    }

    /**
     * Writes {@code request} while reading, until {@code expected} replies have arrived.
     *
     * @throws SocketTimeoutException when the deadline passes first
     * @throws EOFException           when HAProxy closes the connection first
     */
    List<String> exchange(ByteBuffer request, int expected, long deadline) throws IOException {
        PromptFramer framer = new PromptFramer();
        while (true) {
            if (request.hasRemaining()) channel.write(request);
            boolean eof = readAvailable(framer);
            int got = framer.replies().size();
            if (got >= expected) break;
            if (eof) throw new EOFException("HAProxy closed the connection after " + got + " of " + expected + " replies");
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("timed out after " + got + " of " + expected + " replies");
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted after " + got + " of " + expected + " replies");
            key.interestOps(SelectionKey.OP_READ | (request.hasRemaining() ? SelectionKey.OP_WRITE : 0));
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
        }
        if (framer.replies().size() > expected || framer.pendingBytes() > 0) {
            // More than we asked for means the replies no longer line up with the commands.
            throw new IOException("unexpected data after the last of " + expected + " replies: " + Tokens.show(framer.pendingText(200)));
        }
        return framer.replies();
    }

    private void connect(SocketAddress target, long deadline) throws IOException {
        if (channel.connect(target)) return;
        key.interestOps(SelectionKey.OP_CONNECT);
        while (!channel.finishConnect()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("connect timed out");
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
        }
    }

    /** Reads everything available now; returns whether the peer closed the connection. */
    private boolean readAvailable(PromptFramer framer) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n <= 0) return n < 0;
            readBuffer.flip();
            framer.feed(readBuffer);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.close();
        }
    }
}
