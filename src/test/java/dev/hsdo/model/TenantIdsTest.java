package dev.hsdo.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantIdsTest {
    private static final Set<String> SHARDS = Set.of("s1", "s2");

    @Test
    void idsThatCouldBreakAMapLineOrACommandAreRejectedWithTheReasonAndTheRestIsKept() {
        TenantTable t = TenantIds.check(List.of(
                new TenantIds.Raw("alice", "s1"), new TenantIds.Raw("a b", "s1"), new TenantIds.Raw("a;b", "s2"),
                new TenantIds.Raw("a\nb", "s2"), new TenantIds.Raw("#x", "s1"), new TenantIds.Raw("q\"", "s1"),
                new TenantIds.Raw("x".repeat(129), "s1"), new TenantIds.Raw("", "s1"), new TenantIds.Raw("bob@example.com", "s2"),
                new TenantIds.Raw("carol", "s9")), SHARDS);
        assertThat(t.entries()).containsExactly(java.util.Map.entry("alice", "s1"), java.util.Map.entry("bob@example.com", "s2"));
        assertThat(t.rejected()).hasSize(8);
        assertThat(t.rejected()).filteredOn(r -> r.tenant().equals("a\nb")).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("'a\\nb' is not allowed"));
        assertThat(t.rejected()).filteredOn(r -> r.tenant().equals("carol")).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("unknown shard 's9'"));
    }

    @Test
    void aTenantListedTwiceKeepsItsLastShard() {
        TenantTable t = TenantIds.check(List.of(new TenantIds.Raw("t", "s1"), new TenantIds.Raw("t", "s2")), SHARDS);
        assertThat(t.entries()).containsEntry("t", "s2").hasSize(1);
    }

    @Test
    void equalContentGivesEqualDigestsAndAnEmptyTableLeavesThePlanDigestAsItWas() {
        TreeMap<String, String> a = new TreeMap<>(java.util.Map.of("x", "s1", "y", "s2"));
        assertThat(new TenantTable(a, List.of())).isEqualTo(new TenantTable(new TreeMap<>(a), List.of()));
        assertThat(new TenantTable(a, List.of()).digest()).isNotEqualTo(TenantTable.EMPTY.digest());
        assertThat(new Plan(1, null, List.of(), 0, TenantTable.EMPTY).digest()).isEqualTo(Plan.of(1, List.of()).digest());
        assertThat(new Plan(1, null, List.of(), 0, new TenantTable(a, List.of())).digest()).isNotEqualTo(Plan.of(1, List.of()).digest());
    }

    @Test
    void aTableCannotHoldAnUnsafeEntryEvenWhenBuiltDirectly() {
        assertThatThrownBy(() -> new TenantTable(java.util.Map.of("a b", "s1"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
    }
}
