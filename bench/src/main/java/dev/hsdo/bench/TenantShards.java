package dev.hsdo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tenant → shard table of {@code bench/run tenant-routing}: tenants {@code t00000}, {@code t00001}, ... placed on
 * the shards at random with a fixed seed, so every run uses the same table. Written as CSV ({@code tenant,shard},
 * for the lookup service and the wrk script) and as an HAProxy map file ({@code tenant shard}).
 */
record TenantShards(Map<String, String> shards) {
    private static final long SEED = 20261129L;

    TenantShards {
        shards = Collections.unmodifiableMap(new LinkedHashMap<>(shards));
    }

    static TenantShards generate(int tenants, List<String> shardNames) {
        Random random = new Random(SEED);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < tenants; i++) m.put("t%05d".formatted(i), shardNames.get(random.nextInt(shardNames.size())));
        return new TenantShards(m);
    }

    static TenantShards read(Path csv) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != 2 || f[0].isEmpty() || f[1].isEmpty())
                throw new IOException(csv + ": expected 'tenant,shard', got '" + line + "'");
            m.put(f[0], f[1]);
        }
        return new TenantShards(m);
    }

    void writeCsv(Path file) throws IOException {
        write(file, ',');
    }

    void writeMap(Path file) throws IOException {
        write(file, ' ');
    }

    /** How many tenants live on {@code shard}. */
    long on(String shard) {
        return shards.values().stream().filter(shard::equals).count();
    }

    private void write(Path file, char separator) throws IOException {
        StringBuilder b = new StringBuilder();
        shards.forEach((tenant, shard) -> b.append(tenant).append(separator).append(shard).append('\n'));
        Files.writeString(file, b);
    }
}
