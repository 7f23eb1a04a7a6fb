package dev.hsdo.cli;

import dev.hsdo.agent.Diff;
import dev.hsdo.agent.Observed;
import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.store.PlanJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code hsdo plan}: the desired plan and the commands that would bring the live HAProxy to it. */
@Command(name = "plan", description = "Prints the desired plan and the diff against the live HAProxy; changes nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--socket", description = "Runtime API address (default: the admin socket in haproxy.runtime-dir)")
    String socket;
    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = config.load();
        Plan plan = OneShot.plan(c);
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(PlanJson.write(plan));
        else for (BackendPlan b : plan.backends()) {
            out.printf("backend %s (%d servers)%s%n", b.name(), b.servers().size(),
                    b.heldBack() == null ? "" : " HELD BACK: " + b.heldBack());
            b.servers().forEach(s -> out.printf("  %-24s id %-8d %s:%d weight %d %s%n", s.name(), s.id(),
                    s.address(), s.port(), s.weight(), s.state().word()));
        }
        String address = socket != null ? socket : RuntimePaths.in(c.haproxy().runtimeDir()).adminSocket().toString();
        try (RuntimeApi api = SocketRuntimeApi.connect(address, Duration.ofSeconds(5))) {
            Observed observed = Observed.read(api);
            out.println("diff against " + address + ":");
            int n = 0;
            for (BackendConfig be : c.backends()) {
                for (String cmd : Diff.commands(plan.backend(be.name()), observed.rows(be.name()), observed.stats(be.name()))) {
                    out.println("  " + cmd);
                    n++;
                }
            }
            if (n == 0) out.println("  (none: HAProxy matches the plan)");
        } catch (dev.hsdo.haproxy.RuntimeApiException e) {
            out.println("diff: HAProxy not reachable at " + address + ": " + e.getMessage());
        }
        return 0;
    }
}
