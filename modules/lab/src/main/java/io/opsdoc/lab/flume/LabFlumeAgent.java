package io.opsdoc.lab.flume;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One real Apache Flume 1.11 agent ({@code org.apache.flume.node.Application}) in a child JVM whose class path is
 * {@link FlumeRuntime}'s directory, with the HTTP monitoring server on a loopback port. Its flow, as an application
 * tier's agent forwarding to a collector:
 * <pre>
 *   r1 (http source) -> c1 (memory, capacity 1000) -> k1 (avro sink) -> the lab's NextHop
 *   -> r2 (avro source) -> c2 (memory) -> k2 (null sink)
 * </pre>
 * r2, c2 and k2 stand for the downstream collector; the relay between k1 and r2 is what the lab takes away.
 */
final class LabFlumeAgent implements AutoCloseable {
    static final int CAPACITY = 1000;
    static final int TRANSACTION = 100;
    /** A bind error is logged, and the agent keeps running without that component: readiness must look for it. */
    private static final Pattern BIND_ERROR = Pattern.compile("BindException|Failed to bind|Address already in use");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int monitoringPort;
    private final int sourcePort;
    private final Process process;

    private LabFlumeAgent(Path dir, int monitoringPort, int sourcePort, Process process) {
        this.dir = dir;
        this.monitoringPort = monitoringPort;
        this.sourcePort = sourcePort;
        this.process = process;
    }

    /**
     * Starts the agent; returns at once (see {@link #problem()} for readiness).
     *
     * @param ports monitoring, http source, avro source (the collector side)
     * @param nextHop the port the avro sink delivers to
     */
    static LabFlumeAgent start(Path runtime, Path dir, int[] ports, int nextHop) {
        String conf = String.join("\n",
                "a1.sources = r1 r2",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = http",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + ports[1],
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = " + CAPACITY,
                "a1.channels.c1.transactionCapacity = " + TRANSACTION,
                // a put into a full channel waits keep-alive seconds (3 by default) before the source gives up
                "a1.channels.c1.keep-alive = 1",
                "a1.sinks.k1.type = avro",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = " + nextHop,
                "a1.sinks.k1.batch-size = " + TRANSACTION,
                "a1.sinks.k1.connect-timeout = 2000",
                "a1.sinks.k1.request-timeout = 2000",
                "a1.sources.r2.type = avro",
                "a1.sources.r2.bind = 127.0.0.1",
                "a1.sources.r2.port = " + ports[2],
                "a1.sources.r2.channels = c2",
                "a1.channels.c2.type = memory",
                "a1.channels.c2.capacity = " + CAPACITY,
                "a1.channels.c2.transactionCapacity = " + TRANSACTION,
                "a1.sinks.k2.type = null",
                "a1.sinks.k2.channel = c2",
                "a1.sinks.k2.batchSize = " + TRANSACTION, "");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // warn: bind errors and the sink's delivery errors, not every batch
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + ports[0],
                "-cp", runtime.resolve("*").toString(),
                "org.apache.flume.node.Application", "-n", "a1", "-f", dir.resolve("flume.properties").toString(),
                "--no-reload-conf");
        try {
            Files.writeString(dir.resolve("flume.properties"), conf);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile()).start();
            return new LabFlumeAgent(dir, ports[0], ports[1], p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab's Flume agent", e);
        }
    }

    /** flume://127.0.0.1:PORT, the monitoring server. */
    String target() {
        return "flume://127.0.0.1:" + monitoringPort;
    }

    URI sourceUri() {
        return URI.create("http://127.0.0.1:" + sourcePort + "/");
    }

    /**
     * Null while the agent may still come up; else why it cannot (it exited, or a port was not its own). A bind
     * error is fatal even though the agent keeps running: another process answers on that port.
     */
    String problem() {
        if (!process.isAlive()) {
            return "the Flume agent exited with " + process.exitValue() + ": " + log();
        }
        String log = log();
        if (BIND_ERROR.matcher(log).find()) {
            return "the Flume agent could not bind one of its ports: " + log;
        }
        return null;
    }

    /** The /metrics JSON as Flume writes it, or null when it does not answer (yet). */
    JsonNode metrics() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitoringPort
                    + "/metrics")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A counter of a component, e.g. ("SINK.k1", "ConnectionFailedCount"), or -1 when it is not shown. */
    long counter(String component, String name) {
        JsonNode m = metrics();
        return counter(m, component, name);
    }

    static long counter(JsonNode metrics, String component, String name) {
        if (metrics == null || !metrics.path(component).has(name)) {
            return -1;
        }
        try {
            return (long) Double.parseDouble(metrics.path(component).path(name).asText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** POSTs events to the http source as a JSON batch; the status code, or -1 when it did not answer. */
    int post(int events) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            body.append(i == 0 ? "" : ",").append("{\"headers\":{\"lab\":\"opsdoc\"},\"body\":\"event ").append(i)
                    .append("\"}");
        }
        body.append(']');
        try {
            return HTTP.send(HttpRequest.newBuilder(sourceUri()).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String log() {
        try {
            String s = Files.readString(dir.resolve("agent.log"));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL of the agent and anything it started: nothing of it may outlive the lab. */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
