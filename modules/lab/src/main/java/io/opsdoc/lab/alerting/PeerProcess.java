package io.opsdoc.lab.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Prometheus-family server (prometheus, prometheus-alertmanager) run from its Debian binary on a loopback port
 * with its data in a temporary directory, ready once {@code /-/ready} answers 200.
 */
public final class PeerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final Path dir;
    private final int port;
    private final String name;

    private PeerProcess(String name, Process process, Path dir, int port) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param args the program's arguments; {@code {dir}} and {@code {port}} are replaced by the work directory and
     *             the chosen port
     */
    public static PeerProcess start(String name, Path binary, Path dir, int port, List<String> args, Duration ready) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(binary.toString());
        for (String a : args) {
            cmd.add(a.replace("{dir}", dir.toString()).replace("{port}", Integer.toString(port)));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        PeerProcess peer = new PeerProcess(name, p, dir, port);
        try {
            Awaitility.await(name + " ready").atMost(ready).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .pollInSameThread().until(peer::answersReady);
            return peer;
        } catch (ConditionTimeoutException e) {
            String log = peer.log();
            peer.close();
            throw new IllegalStateException(name + " was not ready within " + ready + ": " + log);
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** True once {@code /-/ready} answers 200; a process that died will never be ready, so that throws. */
    private boolean answersReady() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited at start: " + log());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url("/-/ready"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String log() {
        try {
            String s = Files.readString(dir.resolve(name + ".log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
