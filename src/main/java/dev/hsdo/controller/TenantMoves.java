package dev.hsdo.controller;

import dev.hsdo.model.TenantTable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The latest tenant moves (a listed tenant whose shard changed) with the plan generation that carries each, so
 * the status can say when every agent runs it. Bounded: only the last {@link #KEPT} are kept. Thread-safe.
 */
public final class TenantMoves {
    /** Moves kept for the status. */
    public static final int KEPT = 100;
    /** A bulk change moving more tenants than this records only the first {@link #KEPT}; the count is logged. */
    private final Deque<Move> moves = new ArrayDeque<>();

    /** One move. */
    public record Move(String tenant, String from, String to, long generation) {}

    /** A move as the status shows it. */
    public record Shown(String tenant, String from, String to, long generation, boolean done) {}

    /** Records the moves from {@code before} to {@code after}, published as {@code generation}; returns how many there were. */
    public synchronized int record(TenantTable before, TenantTable after, long generation) {
        if (before == null || before.equals(after)) return 0;
        int count = 0;
        for (Map.Entry<String, String> e : after.entries().entrySet()) {
            String old = before.entries().get(e.getKey());
            if (old == null || old.equals(e.getValue())) continue;
            count++;
            if (count <= KEPT) {
                moves.addLast(new Move(e.getKey(), old, e.getValue(), generation));
                if (moves.size() > KEPT) moves.removeFirst();
            }
        }
        return count;
    }

    /** The kept moves, newest last; {@code reached} says whether every agent runs a generation. */
    public synchronized List<Shown> shown(LongPredicate reached) {
        List<Shown> out = new ArrayList<>(moves.size());
        for (Move m : moves) out.add(new Shown(m.tenant(), m.from(), m.to(), m.generation(), reached.test(m.generation())));
        return out;
    }

    /** How many kept moves some agent does not run yet. */
    public synchronized int pending(LongPredicate reached) {
        return (int) moves.stream().filter(m -> !reached.test(m.generation())).count();
    }
}
