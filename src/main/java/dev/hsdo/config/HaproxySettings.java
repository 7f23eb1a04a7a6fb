package dev.hsdo.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The HAProxy process hsdo runs and the global section it renders.
 *
 * @param binary         haproxy executable (name on PATH or path)
 * @param runtimeDir     where the rendered config, sockets and pid file live
 * @param maxconn        global maxconn
 * @param threads        nbthread
 * @param log            a {@code log} target such as {@code stdout format raw local0}, or null for none
 * @param statsBind      address:port of the stats page, or null
 * @param healthBind     address:port answering 200 while HAProxy runs ({@code monitor-uri /healthz}), or null
 * @param timeoutConnect defaults timeout connect
 * @param timeoutClient  defaults timeout client
 * @param timeoutServer  defaults timeout server
 * @param hardStopAfter  global hard-stop-after: how long an old worker may keep connections after a reload
 * @param stopWithHsdo   stop HAProxy when hsdo stops; false (the default) leaves it serving, and the next hsdo
 *                       adopts it, so that restarting or upgrading hsdo never touches the data path
 */
public record HaproxySettings(String binary, Path runtimeDir, int maxconn, int threads, String log, String statsBind,
                              String healthBind, Duration timeoutConnect, Duration timeoutClient, Duration timeoutServer,
                              Duration hardStopAfter, boolean stopWithHsdo) {
    /** Settings that leave HAProxy running when hsdo stops. */
    public HaproxySettings(String binary, Path runtimeDir, int maxconn, int threads, String log, String statsBind,
                           String healthBind, Duration timeoutConnect, Duration timeoutClient, Duration timeoutServer,
                           Duration hardStopAfter) {
        this(binary, runtimeDir, maxconn, threads, log, statsBind, healthBind, timeoutConnect, timeoutClient,
                timeoutServer, hardStopAfter, false);
    }
}
