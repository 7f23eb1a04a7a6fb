package dev.hsdo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Which origin answers each of a fixed set of URIs through each frontend, and how many URIs every frontend
 * sends to the same origin: {@code /f/0} … and {@code /d/0} …, half to each backend.
 */
final class Agreement {
    /** The result of one probe: URIs agreeing in all, in the files backend, in the dns backend, and non-200 answers. */
    record Result(int uris, int agree, int agreeFiles, int agreeDns, int failed) {
        double percent() {
            return 100.0 * agree / uris;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "agreement %.1f %% of %d URIs (files %.1f %%, dns %.1f %%), %d non-200 answers",
                    percent(), uris, 200.0 * agreeFiles / uris, 200.0 * agreeDns / uris, failed);
        }
    }

    private Agreement() {}

    /** Sends {@code uris} URIs through every frontend, 8 requests at a time, for at most a minute. */
    static Result probe(List<Integer> frontends, int uris) throws Exception {
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < uris / 2; k++) {
            paths.add("/f/" + k);
            paths.add("/d/" + k);
        }
        Semaphore permits = new Semaphore(8);
        // Bounded even when a frontend accepts and never answers: what is not sent by then counts as "skipped".
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<List<Future<RawHttp.Answer>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int port : frontends) {
                List<Future<RawHttp.Answer>> row = new ArrayList<>();
                for (String path : paths) {
                    row.add(pool.submit(() -> {
                        permits.acquire();
                        try {
                            if (System.nanoTime() > deadline) return new RawHttp.Answer(0, "skipped");
                            return RawHttp.get(port, path);
                        } finally {
                            permits.release();
                        }
                    }));
                }
                answers.add(row);
            }
            int agree = 0, files = 0, dns = 0, failed = 0;
            for (int u = 0; u < paths.size(); u++) {
                String first = null;
                boolean same = true;
                for (List<Future<RawHttp.Answer>> row : answers) {
                    RawHttp.Answer a = row.get(u).get();
                    if (!a.ok()) failed++;
                    if (first == null) first = a.who();
                    same &= a.ok() && a.who().equals(first);
                }
                if (same) {
                    agree++;
                    if (paths.get(u).startsWith("/f/")) files++;
                    else dns++;
                }
            }
            return new Result(paths.size(), agree, files, dns, failed);
        }
    }
}
