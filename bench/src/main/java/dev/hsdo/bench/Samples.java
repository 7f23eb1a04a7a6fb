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

    double minMs() {
        return Collections.min(nanos) / 1e6;
    }

    double maxMs() {
        return Collections.max(nanos) / 1e6;
    }
}
