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
        long end = System.nanoTime() + ready.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited at start: " + peer.log());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(peer.url("/-/ready"))).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return peer;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                peer.close();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String log = peer.log();
        peer.close();
        throw new IllegalStateException(name + " was not ready within " + ready + ": " + log);
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
