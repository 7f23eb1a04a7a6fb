package dev.hsdo.cli;

import dev.hsdo.agent.Agent;
import dev.hsdo.agent.Observed;
import dev.hsdo.agent.ZoneView;
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
import java.util.ArrayList;
import java.util.List;
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
            // The same view and diff the agent would use, slots and zones included.
            Plan local = ZoneView.of(plan, c, c.fleet().zone());
            List<String> problems = new ArrayList<>();
            List<String> commands = Agent.commands(c, local, Observed.read(api), problems);
            out.println("diff against " + address + ":");
            commands.forEach(cmd -> out.println("  " + cmd));
            problems.forEach(p -> out.println("  problem: " + p));
            if (commands.isEmpty()) out.println("  (none: HAProxy matches the plan)");
        } catch (dev.hsdo.haproxy.RuntimeApiException e) {
            out.println("diff: HAProxy not reachable at " + address + ": " + e.getMessage());
        }
        return 0;
    }
}
