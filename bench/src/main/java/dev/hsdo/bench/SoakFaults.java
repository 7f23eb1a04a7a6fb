package dev.hsdo.bench;

import java.time.Duration;
import java.util.List;

import static dev.hsdo.bench.SoakFleet.awaitAnswer;
import static dev.hsdo.bench.SoakFleet.firstLine;
import static dev.hsdo.bench.SoakFleet.secs;

/**
 * The faults of the soak run, in the order they are injected. Each one injects its fault, undoes it (restarts
 * what it killed, as a service manager would after {@link #RESTART_DELAY}) and returns one line saying what
 * happened; it measures as it goes and reports what did not work rather than throwing.
 */
final class SoakFaults {
    static final Duration RESTART_DELAY = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** One fault: injected on {@code agent} (the agent it concerns, if any) in a slot of length {@code slot}. */
    @FunctionalInterface
    interface Injector {
        String inject(SoakFleet f, HsdoProc agent, Duration slot) throws Exception;
    }

    record Fault(String name, Injector injector) {}

    private SoakFaults() {}

    static final List<Fault> ALL = List.of(
            new Fault("kill -9 an agent's HAProxy", SoakFaults::killHaproxy),
            new Fault("kill -9 an agent", SoakFaults::killAgent),
            new Fault("kill -9 the leading controller", SoakFaults::killLeader),
            new Fault("kill -9 the etcd raft leader, restart it", SoakFaults::killEtcdLeader),
            new Fault("DNS outage (bind9 stopped)", SoakFaults::dnsOutage),
            new Fault("burst of 500 servers-file changes", SoakFaults::burst),
            new Fault("SIGSTOP an agent, then SIGCONT", SoakFaults::freezeAgent),
            new Fault("all of etcd down and back", SoakFaults::etcdDown),
            new Fault("agent restarted while etcd is down", SoakFaults::agentRestartWithoutStore),
            new Fault("restart hsdo (an agent and the leading controller, SIGTERM)", SoakFaults::restartHsdo));

    static Duration clamp(Duration slot, double fraction, int minSeconds, int maxSeconds) {
        long s = Math.round(slot.toSeconds() * fraction);
        return Duration.ofSeconds(Math.max(minSeconds, Math.min(maxSeconds, s)));
    }

    private static String killHaproxy(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        List<Long> pids = Procs.haproxies(agent.haproxyConfig());
        if (pids.isEmpty()) return "NOT INJECTED: no HAProxy runs from " + agent.haproxyConfig();
        for (long pid : pids) Procs.signal(pid, "KILL");
        double back = awaitAnswer(agent, BOUND);
        double settled = f.awaitSettled(List.of(agent), BOUND);
        return agent + "'s HAProxy killed (pids " + pids + "); its frontend answered again after " + secs(back)
                + ", served the expected servers after " + secs(settled);
    }

    private static String killAgent(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        long pid = agent.pid();
        if (pid < 0) return "NOT INJECTED: " + agent + " is not running";
        agent.kill();
        int left = agent.haproxyMasters().size();
        boolean answers = RawHttp.get(agent.frontend, "/f/0").ok();
        Thread.sleep(RESTART_DELAY);
        String restart = restart(agent);
        double settled = f.awaitSettled(List.of(agent), BOUND);
        return agent + " (pid " + pid + ") killed: HAProxy masters left running " + left + ", frontend answering "
                + (answers ? "yes" : "no") + "; " + restart + ", served the expected servers after " + secs(settled)
                + "; HAProxy masters from its config now " + agent.haproxyMasters().size();
    }

    private static String killLeader(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        HsdoProc leader = f.leader(Duration.ofSeconds(5));
        if (leader == null) return "NOT INJECTED: no controller says it leads";
        long t0 = System.nanoTime();
        leader.kill();
        Thread.sleep(RESTART_DELAY);
        String restart = restart(leader);
        HsdoProc next = f.leader(Duration.ofSeconds(40));
        double s = (System.nanoTime() - t0) / 1e9;
        return leader + " (leader) killed; " + restart + "; "
                + (next == null ? "no controller leads 40 s later" : next + " leads " + secs(s) + " after the kill");
    }

    private static String killEtcdLeader(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        int leader = f.etcd.leader();
        if (leader < 0) return "NOT INJECTED: no etcd member reports a leader";
        long t0 = System.nanoTime();
        f.etcd.kill(leader);
        double elected = f.etcd.awaitLeader(BOUND);
        int next = f.etcd.leader();
        Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - t0) / 1_000_000));
        String back;
        try {
            f.etcd.start(leader);
            back = "started again 5 s after the kill";
        } catch (Exception e) {
            back = "did not start again: " + firstLine(e);
        }
        return f.etcd.name(leader) + " (raft leader) killed; "
                + (next < 0 ? "no new leader within " + BOUND.toSeconds() + " s" : f.etcd.name(next) + " leads after " + secs(elected))
                + "; " + f.etcd.name(leader) + " " + back;
    }

    private static String dnsOutage(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        Duration outage = clamp(slot, 0.5, 5, 60);
        f.named.stop();
        Thread.sleep(outage);
        f.named.start();
        String change = f.toggleDns("d5");
        double settled = f.awaitSettled(f.agents, BOUND);
        return "bind9 stopped for " + outage.toSeconds() + " s and started again; a changed SRV record (d5 " + change
                + ") served by every agent " + secs(settled) + " after the update";
    }

    private static String burst(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        f.churn.pause();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 500; i++) f.churn.changeOnce();
            long written = System.nanoTime();
            double settled = f.awaitSettled(f.agents, Duration.ofSeconds(60));
            return "500 servers-file writes in " + secs((written - t0) / 1e9) + "; every agent served the final set "
                    + secs(settled) + " after the last write";
        } finally {
            f.churn.resume();
        }
    }

    private static String freezeAgent(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        Duration frozen = clamp(slot, 0.1, 3, 10);
        // One change while it is stopped, so that it has something to catch up on.
        f.churn.pause();
        try {
            if (!agent.signal("STOP")) return "NOT INJECTED: SIGSTOP to " + agent + " failed";
            long t0 = System.nanoTime();
            double others;
            boolean behind;
            try {
                java.util.Set<Integer> want = f.churn.changeOnce();
                List<HsdoProc> rest = f.agents.stream().filter(a -> a != agent).toList();
                others = f.awaitSettled(rest, frozen);
                Thread.sleep(Math.max(0, frozen.toMillis() - (System.nanoTime() - t0) / 1_000_000));
                behind = !want.equals(agent.serving(Churn.BACKEND));
            } finally {
                agent.signal("CONT");
            }
            double caught = f.awaitSettled(List.of(agent), BOUND);
            return agent + " stopped (SIGSTOP) for " + frozen.toSeconds() + " s; a servers-file change made meanwhile was served by"
                    + " the other agents after " + secs(others) + " and by " + agent + (behind ? "" : " (already before SIGCONT)")
                    + " " + secs(caught) + " after SIGCONT";
        } finally {
            f.churn.resume();
        }
    }

    private static String etcdDown(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        Duration down = clamp(slot, 0.25, 5, 30);
        f.etcd.killAll();
        Thread.sleep(down);
        return "all 3 etcd members killed, down for " + down.toSeconds() + " s; " + etcdBack(f);
    }

    private static String agentRestartWithoutStore(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        Duration down = clamp(slot, 0.25, 15, 30);
        long t0 = System.nanoTime();
        f.etcd.killAll();
        Thread.sleep(3000);
        double stopped = agent.stop(Duration.ofSeconds(20));
        String restart = restart(agent);
        Thread.sleep(3000);
        String serving = f.servingSummary();
        Thread.sleep(Math.max(0, down.toMillis() - (System.nanoTime() - t0) / 1_000_000));
        return "etcd killed; " + agent + " stopped (" + stopped(stopped) + ") and " + restart + " while etcd was down; 3 s later: "
                + serving + "; etcd down " + secs((System.nanoTime() - t0) / 1e9) + ", " + etcdBack(f)
                + "; the agents served the expected servers " + secs(f.awaitSettled(f.agents, BOUND)) + " later";
    }

    private static String restartHsdo(SoakFleet f, HsdoProc agent, Duration slot) throws Exception {
        HsdoProc leader = f.leader(Duration.ofSeconds(5));
        HsdoProc controller = leader != null ? leader : f.controllers.getFirst();
        double stopped = agent.stop(Duration.ofSeconds(20));
        int left = agent.haproxyMasters().size();
        boolean answers = RawHttp.get(agent.frontend, "/f/0").ok();
        String restart = restart(agent);
        double cStopped = controller.stop(Duration.ofSeconds(20));
        String cRestart = restart(controller);
        double settled = f.awaitSettled(f.agents, BOUND);
        return agent + " stopped (" + stopped(stopped) + "; HAProxy masters left running " + left + ", frontend answering "
                + (answers ? "yes" : "no") + ") and " + restart + "; " + controller + (leader != null ? " (leader)" : "")
                + " stopped (" + stopped(cStopped) + ") and " + cRestart + "; every agent served the expected servers "
                + secs(settled) + " later; HAProxy masters per agent: " + f.masters();
    }

    private static String restart(HsdoProc n) {
        try {
            return "started again (admin API up in " + secs(n.start()) + ")";
        } catch (Exception e) {
            return "did NOT start again: " + firstLine(e);
        }
    }

    private static String stopped(double s) {
        return s < 0 ? "killed after " + secs(-s) + " without exiting" : "exited in " + secs(s);
    }

    private static String etcdBack(SoakFleet f) {
        try {
            f.etcd.startAll();
            double l = f.etcd.awaitLeader(BOUND);
            return "all started again, a leader " + secs(l) + " after";
        } catch (Exception e) {
            return "did not all start again: " + firstLine(e);
        }
    }
}
