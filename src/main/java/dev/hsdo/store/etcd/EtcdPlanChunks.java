package dev.hsdo.store.etcd;

import dev.hsdo.store.StoreException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import static dev.hsdo.store.etcd.EtcdFleetStore.await;
import static dev.hsdo.store.etcd.EtcdFleetStore.bytes;

/**
 * Plans too large for one etcd request (1.5 MiB by default, {@code --max-request-bytes}): their bytes are
 * written as chunks under keys of their own ({@code BASE/GENERATION/WRITE/INDEX}, a fresh write id per
 * publish, so two publishers never touch each other's chunks and a stored chunk never changes), and the plan
 * key holds only a small head naming them with their length and SHA-256. The chunks are written before the
 * fenced transaction that switches the plan key, so that transaction stays small; a reader that follows a
 * head verifies what it assembled against it.
 */
final class EtcdPlanChunks {
    private static final Logger log = LoggerFactory.getLogger(EtcdPlanChunks.class);
    /** Bytes per chunk, and the largest plan stored inline in the plan key: well inside one etcd request. */
    static final int CHUNK_BYTES = 1024 * 1024;
    // Compressed plans start with gzip's magic bytes, never with this text.
    private static final String MARK = "hsdo-chunks/1 ";

    /** Where a chunked plan is: {@code count} chunks under {@code prefix}, {@code length} bytes in all. */
    record Head(String prefix, int count, int length, String sha256) {
        byte[] bytes() {
            return (MARK + count + " " + length + " " + sha256 + " " + prefix).getBytes(StandardCharsets.UTF_8);
        }

        /** The head in a plan key's value, or null when the value is an inline plan. */
        static Head parse(byte[] value) {
            if (value.length > 4096 || !new String(value, 0, Math.min(value.length, MARK.length()), StandardCharsets.ISO_8859_1).equals(MARK))
                return null;
            String[] f = new String(value, StandardCharsets.UTF_8).substring(MARK.length()).split(" ", 4);
            if (f.length != 4) return null;
            try {
                return new Head(f[3], Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private final Client client;
    private final String base;
    private final Duration timeout;

    EtcdPlanChunks(Client client, String base, Duration timeout) {
        this.client = client;
        this.base = base.endsWith("/") ? base : base + "/";
        this.timeout = timeout;
    }

    /** Writes {@code data} as chunks of plan {@code generation}, each its own request, and returns their head. */
    Head write(long generation, byte[] data) throws StoreException {
        String prefix = base + String.format(Locale.ROOT, "%019d/%s/", generation, UUID.randomUUID());
        int count = (data.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
        for (int i = 0; i < count; i++) {
            ByteSequence key = bytes(prefix + i);
            ByteSequence value = ByteSequence.from(Arrays.copyOfRange(data, i * CHUNK_BYTES, Math.min(data.length, (i + 1) * CHUNK_BYTES)));
            await(() -> client.getKVClient().put(key, value), timeout, "write plan " + generation + " chunk " + i + " of " + count);
        }
        return new Head(prefix, count, data.length, sha256(data));
    }

    /**
     * The bytes {@code head} names, or null when a chunk is gone (a newer publish replaced the plan meanwhile:
     * read the plan key again).
     *
     * @throws StoreException when etcd fails or the chunks do not match the head
     */
    byte[] read(Head head) throws StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length());
        for (int i = 0; i < head.count(); i++) {
            ByteSequence key = bytes(head.prefix() + i);
            var got = await(() -> client.getKVClient().get(key), timeout, "read " + key);
            if (got.getKvs().isEmpty()) return null;
            out.writeBytes(got.getKvs().getFirst().getValue().getBytes());
        }
        byte[] data = out.toByteArray();
        if (data.length != head.length() || !sha256(data).equals(head.sha256()))
            throw new StoreException("etcd " + head.prefix() + ": the " + head.count() + " chunks hold " + data.length
                    + " bytes of SHA-256 " + sha256(data) + ", the plan head names " + head.length() + " bytes of " + head.sha256());
        return data;
    }

    /** Deletes the chunks of {@code head}; a failure only leaves unread keys behind, so it is logged. */
    void delete(Head head) {
        try {
            await(() -> client.getKVClient().delete(bytes(head.prefix()), DeleteOption.builder().isPrefix(true).build()),
                    timeout, "delete " + head.prefix());
        } catch (StoreException e) {
            log.warn("{} (left-over plan chunks only take space)", e.getMessage());
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
