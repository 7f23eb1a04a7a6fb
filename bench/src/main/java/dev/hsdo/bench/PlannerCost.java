package dev.hsdo.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The cases of {@link PlannerBench} measured by the calling thread's own CPU time and allocated bytes per
 * call (medians), which a machine busy with other work disturbs far less than JMH's wall-clock times.
 * Usage: {@code java -cp hsdo-bench.jar dev.hsdo.bench.PlannerCost [calls]}.
 */
public final class PlannerCost {
    private PlannerCost() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        PlannerBench b = new PlannerBench();
        b.endpoints = 10_000;
        b.setUp();
        try {
            System.out.printf("%-32s %14s %16s%n", "case (10 000 endpoints)", "CPU ms/call", "allocated/call");
            measure("firstPlanFromEmpty", b::firstPlanFromEmpty, calls);
            measure("replanOneEndpointReplaced", b::replanOneEndpointReplaced, calls);
            measure("replanOneEndpointReweighted", b::replanOneEndpointReweighted, calls);
            measure("replanNothingChanged", b::replanNothingChanged, calls);
            measure("controllerTickNothingChanged", b::controllerTickNothingChanged, calls);
        } finally {
            b.tearDown();
        }
    }

    private static void measure(String name, Supplier<Object> call, int calls) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        Object sink = null;
        for (int i = 0; i < calls; i++) sink = call.get();
        long[] cpu = new long[calls];
        long[] bytes = new long[calls];
        for (int i = 0; i < calls; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getThreadAllocatedBytes(self);
            sink = call.get();
            bytes[i] = threads.getThreadAllocatedBytes(self) - b0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        if (sink == null) throw new IllegalStateException(name + " returned nothing");
        System.out.printf("%-32s %14.3f %14.2f MB%n", name, median(cpu) / 1e6, median(bytes) / 1e6);
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
