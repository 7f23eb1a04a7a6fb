package dev.hsdo.cli;

import dev.hsdo.config.DnsSourceConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code hsdo sidecar}: the neighbors sidecar, configured by environment variables only (see the README). */
@Command(name = "sidecar", description = {
        "Runs hsdo as a neighbors sidecar: peers from a DNS SRV record, consistent-hashed by HAProxy.",
        "Configured by environment variables only (haproxy-neighbors names: DISCOVERY_DNS_NAME, HAPROXY_BIND, ...)."})
final class SidecarCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Sidecar s = Sidecar.start(System.getenv(), Clock.systemUTC());
        DnsSourceConfig dns = (DnsSourceConfig) s.settings().config().sources().get(0);
        return Foreground.until(spec, s, "hsdo sidecar running: frontend "
                + s.settings().config().frontends().get(0).bind() + ", peers from SRV " + dns.srv()
                + ", admin " + Foreground.admin(s.standalone().adminPort())
                + ", data in " + s.settings().dataDir());
    }
}
