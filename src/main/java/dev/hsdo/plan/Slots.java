package dev.hsdo.plan;

import dev.hsdo.config.SlotsConfig;
import dev.hsdo.model.ServerPlan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places a backend's servers in the slots of a {@code server-template}. Pure and deterministic: a server
 * keeps the slot it had in the previous plan (slots fix the ring, so moving one would move its keys), and
 * a new server takes the lowest free slot, new servers taken in identity order. A server is named after
 * its slot and takes the slot number as id.
 */
final class Slots {
    private Slots() {}

    /** The servers placed, and the identities that found no free slot. */
    record Placement(List<ServerPlan> servers, List<String> overflow) {
        /** Why some endpoints are not served, or null when all fit. */
        String problem(int count) {
            if (overflow.isEmpty()) return null;
            return String.format(Locale.ROOT, "%d endpoints do not fit in %d slots and are not served: %s",
                    overflow.size(), count, String.join(", ", overflow));
        }
    }

    /**
     * @param servers  the backend's servers by identity (present and still draining), as the planner made them
     * @param previous the backend's servers in the previous plan (their ids are their slots)
     */
    static Placement place(Map<String, ServerPlan> servers, List<ServerPlan> previous, SlotsConfig slots) {
        Map<String, Integer> had = new TreeMap<>();
        for (ServerPlan p : previous) if (p.id() <= slots.count()) had.put(p.identity(), p.id());
        BitSet taken = new BitSet(slots.count() + 1);
        Map<String, Integer> slotOf = new TreeMap<>();
        for (String identity : servers.keySet()) {
            Integer slot = had.get(identity);
            if (slot != null && !taken.get(slot)) {
                slotOf.put(identity, slot);
                taken.set(slot);
            }
        }
        List<String> overflow = new ArrayList<>();
        for (String identity : servers.keySet()) {
            if (slotOf.containsKey(identity)) continue;
            int free = taken.nextClearBit(1);
            if (free > slots.count()) {
                overflow.add(identity);
                continue;
            }
            slotOf.put(identity, free);
            taken.set(free);
        }
        List<ServerPlan> placed = new ArrayList<>();
        slotOf.forEach((identity, slot) -> {
            ServerPlan s = servers.get(identity);
            placed.add(new ServerPlan(slots.name(slot), slot, identity, s.address(), s.port(), s.weight(), s.state(),
                    s.zone(), s.options(), s.drainUntil(), s.rampSince()));
        });
        return new Placement(placed, overflow);
    }
}
