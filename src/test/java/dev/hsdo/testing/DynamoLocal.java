package dev.hsdo.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.nio.file.Path;

/**
 * DynamoDB Local in this JVM on a free port, its tables kept in {@code dir} so that a stop and a start
 * (a store outage) lose nothing. It listens on every interface: tests only.
 */
public final class DynamoLocal implements AutoCloseable {
    private final Path dir;
    private final int port;
    // guarded by this: the running server, null while stopped
    private DynamoDBProxyServer server;

    private DynamoLocal(Path dir) {
        this.dir = dir;
        this.port = Ports.free();
        // The SDK's default chain reads these; DynamoDB Local accepts any credentials.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    /** Starts DynamoDB Local with its data in {@code dir}. */
    public static DynamoLocal start(Path dir) {
        DynamoLocal d = new DynamoLocal(dir);
        d.startServer();
        return d;
    }

    /** The endpoint URL for the SDK's endpoint override. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    public synchronized void startServer() {
        if (server != null) return;
        try {
            java.nio.file.Files.createDirectories(dir);
            server = ServerRunner.createServerFromCommandLineArgs(new String[]{
                    "-port", String.valueOf(port), "-dbPath", dir.toString(), "-sharedDb", "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start DynamoDB Local on port " + port, e);
        }
    }

    /** Stops the server: every call fails until {@link #startServer()}. */
    public synchronized void stop() {
        if (server == null) return;
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        } finally {
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
