package io.opsdoc.lab.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One etcd process of the lab (Debian's etcd-server 3.4) on loopback, with its data directory kept across restarts
 * (a killed member comes back with its data, as after a crash). Stopped with SIGKILL: a 3.4 leader given SIGTERM
 * after its peers are gone spends seconds handing over leadership.
 */
final class LabEtcdMember {
    static final Path BINARY = Path.of("/usr/bin/etcd");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final String initialCluster;
    private final List<String> extraArgs;
    /** Non-zero: the member's advertised client URL is https on this port (its plain port stays for the lab's own calls). */
    private final int tlsPort;
    private Process process;

    LabEtcdMember(String name, Path dir, int clientPort, int peerPort, String initialCluster, List<String> extraArgs) {
        this(name, dir, clientPort, peerPort, initialCluster, extraArgs, 0);
    }

    LabEtcdMember(String name, Path dir, int clientPort, int peerPort, String initialCluster, List<String> extraArgs,
            int tlsPort) {
        this.tlsPort = tlsPort;
        this.name = name;
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.initialCluster = initialCluster;
        this.extraArgs = List.copyOf(extraArgs);
    }

    String name() {
        return name;
    }

    String address() {
        return "127.0.0.1:" + clientPort;
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /** Starts the process (returns at once: {@link #ready()} says when it serves). */
    void start() {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--name", name, "--data-dir",
                dir.resolve("data").toString(), "--listen-client-urls", tlsPort == 0 ? "http://" + address()
                        : "https://127.0.0.1:" + tlsPort + ",http://" + address(), "--advertise-client-urls",
                tlsPort == 0 ? "http://" + address() : "https://127.0.0.1:" + tlsPort, "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", name
                        .replaceAll("\\d+$", ""),
                // loopback on a busy 2-core machine: a little slower than etcd's 100/1000 ms would be too eager
                "--heartbeat-interval", "100", "--election-timeout", "1000", "--logger", "zap"));
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd member " + name, e);
        }
    }

    /**
     * True once this very process serves its status; throws when it died or failed to bind (another process took its
     * port between the port search and the start: then whatever answers there is not this member).
     */
    boolean ready() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("etcd member " + name + " exited: " + log());
        }
        String log = log();
        if (log.contains("address already in use")) {
            throw new IllegalStateException("etcd member " + name + " could not bind its ports: " + log);
        }
        JsonNode s = status();
        return EtcdLab.hasLeader(s);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() {
        if (process == null) {
            return;
        }
        ProcessHandle h = process.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    /** This member's /metrics (Prometheus text), or "" when it does not answer. */
    String metrics() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A sample of this member's /metrics without labels (a counter or gauge), -1 when absent. */
    double sample(String metric) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(metric + " ")) {
                return Double.parseDouble(line.substring(metric.length() + 1).trim());
            }
        }
        return -1;
    }

    /** Maintenance.Status of this member, or null when it does not answer. */
    JsonNode status() {
        return call("/v3/maintenance/status", "{}");
    }

    /** A v3 gateway call on this member; null when it does not answer 200. */
    JsonNode call(String path, String body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + path))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String log() {
        try {
            String s = Files.readString(dir.resolve("etcd.log"));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
