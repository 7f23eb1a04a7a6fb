package dev.hsdo.cli;

import dev.hsdo.admin.AdminServer;
import dev.hsdo.admin.AdminView;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.util.Closer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * What every long-running hsdo process (standalone, controller, agent) shares: its config, its metrics,
 * its admin API, and everything it started, closed newest first.
 */
abstract class Node implements AutoCloseable, AdminView {
    final HsdoConfig config;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Closer toClose = new Closer();
    private AdminServer admin;

    Node(HsdoConfig config) {
        this.config = config;
    }

    /** Starts this node's parts, registering each with {@link #toClose} as soon as it is started. */
    abstract void startAll(Clock clock) throws Exception;

    /** Starts {@code node}; on failure stops what it started and rethrows, so nothing is left running. */
    static <N extends Node> N startOrClose(N node, Clock clock) throws Exception {
        try {
            node.startAll(clock);
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    /** Starts the admin API where configured, serving this node; does nothing when it is disabled. */
    void startAdmin() throws IOException {
        if (config.admin().bind() == null || config.admin().bind().isEmpty()) return;
        admin = toClose.add(new AdminServer(parseBind(config.admin().bind()), this, registry, config.admin().token()));
        admin.start();
    }

    static InetSocketAddress parseBind(String bind) {
        int colon = bind.lastIndexOf(':');
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.equals("*")) host = "0.0.0.0";
        return new InetSocketAddress(host, Integer.parseInt(bind.substring(colon + 1)));
    }

    /** The admin API's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** Stops everything this node started, newest first. */
    @Override
    public void close() {
        toClose.close();
    }
}
