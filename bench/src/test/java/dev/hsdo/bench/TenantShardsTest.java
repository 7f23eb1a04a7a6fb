package dev.hsdo.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantShardsTest {
    private static final List<String> SHARDS = List.of("shard-1", "shard-2", "shard-3", "shard-4");

    @Test
    void everyRunPlacesTheTenantsTheSameWayAndRoughlyEvenly() {
        TenantShards table = TenantShards.generate(10_000, SHARDS);

        assertEquals(table, TenantShards.generate(10_000, SHARDS));
        assertEquals(10_000, table.shards().size());
        assertEquals("t00000", table.shards().keySet().iterator().next());
        for (String s : SHARDS) assertTrue(table.on(s) > 2200 && table.on(s) < 2800, s + ": " + table.on(s));
        assertEquals(10_000, SHARDS.stream().mapToLong(table::on).sum());
    }

    @Test
    void theCsvReadsBackAsTheSameTable(@TempDir Path dir) throws IOException {
        TenantShards table = TenantShards.generate(100, SHARDS);
        table.writeCsv(dir.resolve("t.csv"));

        assertEquals(table, TenantShards.read(dir.resolve("t.csv")));
    }

    @Test
    void theMapFileHasOneTenantShardLinePerTenant(@TempDir Path dir) throws IOException {
        TenantShards table = TenantShards.generate(3, SHARDS);
        table.writeMap(dir.resolve("t.map"));

        List<String> lines = Files.readAllLines(dir.resolve("t.map"));
        assertEquals(3, lines.size());
        assertEquals("t00001 " + table.shards().get("t00001"), lines.get(1));
    }

    @Test
    void aLineThatIsNotTenantCommaShardIsRejectedWithTheFileAndTheLine(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "t1,shard-1\nt2 shard-2\n");

        IOException e = assertThrows(IOException.class, () -> TenantShards.read(csv));
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("'t2 shard-2'"), e.getMessage());
    }
}
