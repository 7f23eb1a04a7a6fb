package dev.hsdo.haproxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Runtime API over HAProxy's stats socket, unix or TCP, with one persistent connection in prompt mode.
 *
 * <p>A batch is written in one go while the replies are read, so thousands of commands cost one round trip
 * (2000 {@code set server} commands take milliseconds; a connection per command takes ~0.1 s). Commands are
 * checked by {@link Commands#requireSafe} before anything is sent. Any I/O failure or timeout closes the
 * connection and raises {@link RuntimeApiException}; the next call connects again.
 *
 * <p>Before a batch reuses the connection it is checked, at the cost of one {@code show info} round trip, and
 * replaced when HAProxy has closed it (process gone, or {@code stats timeout}: measured on 2.6, an idle prompt
 * session is sometimes closed at that timeout and sometimes kept) or when it belongs to a stopping process:
 * after a master-worker reload an open session stays with the old worker until hard-stop-after.
 *
 * <p>Thread-safe: batches run one at a time.
 */
public final class SocketRuntimeApi implements RuntimeApi {
    /**
     * Time allowed per command of a batch, on top of the base timeout. HAProxy spends microseconds on most
     * commands; this leaves room for dumps such as {@code show stat} of a large configuration.
     */
    public static final Duration PER_COMMAND = Duration.ofMillis(1);

    private static final Logger log = LoggerFactory.getLogger(SocketRuntimeApi.class);

    private final CliAddress address;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: the open prompt-mode connection, or null when none is open. */
    private CliConnection connection;

    private SocketRuntimeApi(CliAddress address, Duration timeout) {
        this.address = Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("Runtime API timeout must be positive, got " + timeout);
        this.timeout = timeout;
    }

    /**
     * Parses {@code address} (see {@link CliAddress#parse}) and connects now.
     *
     * @param timeout bound for connecting, and the base of every batch's bound (plus {@link #PER_COMMAND} each)
     * @throws IllegalArgumentException when the address is malformed
     * @throws RuntimeApiException      when HAProxy cannot be reached within {@code timeout}
     */
    public static SocketRuntimeApi connect(String address, Duration timeout) throws RuntimeApiException {
        SocketRuntimeApi api = of(address, timeout);
        api.lock.lock();
        try {
            api.open(System.nanoTime());
        } catch (IOException e) {
            throw api.failure("cannot connect", e);
        } finally {
            api.lock.unlock();
        }
        return api;
    }

    /** Parses {@code address} like {@link #connect} but connects only on the first call. */
    public static SocketRuntimeApi of(String address, Duration timeout) {
        return new SocketRuntimeApi(CliAddress.parse(address), timeout);
    }

    /** Where this client connects. */
    public CliAddress address() {
        return address;
    }

    /** The whole bound for a batch of {@code commandCount} commands, connecting included. */
    public Duration budget(int commandCount) {
        return timeout.plus(PER_COMMAND.multipliedBy(commandCount));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when a command is unsafe (see {@link Commands#requireSafe}); nothing is sent
     */
    @Override
    public List<Reply> execute(List<String> commands) throws RuntimeApiException {
        for (String c : commands) Commands.requireSafe(c);
        if (commands.isEmpty()) return List.of();
        List<String> batch = List.copyOf(commands);
        ByteBuffer request = encode(batch);
        long started = System.nanoTime();
        long deadline = started + budget(batch.size()).toNanos();
        List<String> outputs;
        lock.lock();
        try {
            outputs = open(started).exchange(request, batch.size(), deadline);
        } catch (IOException e) {
            throw failure("batch of " + batch.size() + " commands starting with '" + batch.getFirst() + "' failed", e);
        } finally {
            lock.unlock();
        }
        log.debug("{} commands on {} in {} ms", batch.size(), address, (System.nanoTime() - started) / 1_000_000);
        List<Reply> replies = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) replies.add(Replies.classify(batch.get(i), outputs.get(i)));
        return List.copyOf(replies);
    }

    /** Closes the connection, after the running batch if there is one; the next call opens a new one. */
    @Override
    public void close() {
        lock.lock();
        try {
            drop();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SocketRuntimeApi[" + address + "]";
    }

    /** The open connection, connecting first when there is none. Caller holds {@link #lock}. */
    private CliConnection open(long started) throws IOException {
        long bound = started + timeout.toNanos();
        if (connection != null && !stillServing(connection, bound)) drop();
        if (connection == null) connection = CliConnection.open(address, bound);
        return connection;
    }

    /** Whether a kept connection can carry the next batch; nothing of the batch has been sent yet. */
    private boolean stillServing(CliConnection c, long bound) {
        if (c.isStale()) {
            log.info("Runtime API connection to {} was closed by HAProxy; reconnecting", address);
            return false;
        }
        try {
            if (!c.isStopping(bound)) return true;
            log.info("HAProxy behind {} is stopping (reloaded?); reconnecting to the new process", address);
        } catch (IOException e) {
            // Closed between the two checks (an idle timeout racing with us): nothing was lost, start afresh.
            log.info("Runtime API connection to {} failed its check ({}); reconnecting", address, e.getMessage());
        }
        return false;
    }

    /** Closes the connection; caller holds {@link #lock}. */
    private void drop() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (IOException e) {
            log.debug("closing the Runtime API connection to {} failed", address, e);
        }
        connection = null;
    }

    /** Drops the connection and describes the failure; caller holds {@link #lock}. */
    private RuntimeApiException failure(String what, IOException e) {
        drop();
        String cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new RuntimeApiException("Runtime API " + address + ": " + what + ": " + cause, e);
    }

    private static ByteBuffer encode(List<String> commands) {
        StringBuilder b = new StringBuilder();
        for (String c : commands) b.append(c).append('\n');
        return ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
