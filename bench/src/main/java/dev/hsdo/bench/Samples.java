package dev.hsdo.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Wall-clock samples of one case, in nanoseconds. */
final class Samples {
    private final List<Long> nanos = new ArrayList<>();

    void add(long n) {
        nanos.add(n);
    }

    double medianMs() {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        int n = s.size();
        double m = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
        return m / 1e6;
    }

    /** The {@code k} largest samples as "index: ms", largest first (indexes count from 0 in the order added). */
    String slowest(int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nanos.size(); i++) order.add(i);
        order.sort((a, b) -> Long.compare(nanos.get(b), nanos.get(a)));
        StringBuilder s = new StringBuilder();
        for (int i : order.subList(0, Math.min(k, order.size())))
            s.append(s.isEmpty() ? "" : ", ").append(i).append(": ").append(String.format("%.1f", nanos.get(i) / 1e6));
        return s.toString();
    }

    double minMs() {
        return Collections.min(nanos) / 1e6;
    }

    double maxMs() {
        return Collections.max(nanos) / 1e6;
    }

    /** The {@code q} quantile (0..1) by the nearest-rank method. */
    double percentileMs(double q) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        int rank = (int) Math.ceil(q * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1))) / 1e6;
    }

    double meanMs() {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    int size() {
        return nanos.size();
    }
}
