package io.opsdoc.lab.edge;

import io.opsdoc.lab.ExternalBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Debian's HAProxy (2.6) in the foreground ({@code -db}) with its config, pid file and admin stats socket in the
 * lab's directory. The admin socket is the lab's hand on it (disable/enable a server); the checks only read the
 * stats page.
 */
final class LabHaproxy implements AutoCloseable {
    static final String PACKAGE = "haproxy";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final Path dir;
    private final int statsPort;

    private LabHaproxy(Process process, Path dir, int statsPort) {
        this.process = process;
        this.dir = dir;
        this.statsPort = statsPort;
    }

    static Optional<Path> binary() {
        return ExternalBinary.find("/usr/sbin/haproxy", "/usr/bin/haproxy");
    }

    /** {@code config} may use {@code {dir}}; ready once the stats page lists every server UP. */
    static LabHaproxy start(Path dir, String config, int statsPort) {
        Path haproxy = binary().orElseThrow(() -> new IllegalStateException(ExternalBinary.missing(PACKAGE, "haproxy")));
        try {
            Files.createDirectories(dir);
            Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), config.replace("{dir}", dir.toString()));
            Process p = new ProcessBuilder(haproxy.toString(), "-f", cfg.toString(), "-db").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            LabHaproxy lab = new LabHaproxy(p, dir, statsPort);
            try {
                lab.awaitAllUp(Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                String log = Files.exists(dir.resolve("haproxy.log")) ? Files.readString(dir.resolve("haproxy.log")) : "";
                lab.close();
                throw new IllegalStateException("haproxy did not come up: " + log, e);
            }
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy", e);
        }
    }

    String statsUrl() {
        return "http://127.0.0.1:" + statsPort + "/stats";
    }

    /** Rows of the stats CSV keyed "proxy/name" → field name → value. */
    Map<String, Map<String, String>> stats() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(statsUrl() + ";csv"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            String[] lines = r.body().split("\n");
            String[] header = lines[0].substring(2).split(",", -1);
            Map<String, Map<String, String>> rows = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int c = 0; c < header.length && c < f.length; c++) {
                    row.put(header[c], f[c]);
                }
                rows.put(f[0] + "/" + f[1], row);
            }
            return rows;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    String field(String row, String field) {
        Map<String, String> r = stats().get(row);
        return r == null ? null : r.get(field);
    }

    void awaitStatus(String row, String prefix, Duration atMost) {
        Awaitility.await(row + " " + prefix).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .pollInSameThread().until(() -> {
                    String s = field(row, "status");
                    return s != null && s.startsWith(prefix);
                });
    }

    /** Every server UP (not "UP 1/2" on its way down, not DOWN, not MAINT) and no request queued. */
    void awaitAllUp(Duration atMost) {
        Awaitility.await("every haproxy server UP").atMost(atMost).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited");
                    }
                    Map<String, Map<String, String>> rows = stats();
                    return !rows.isEmpty() && rows.values().stream().filter(r -> "2".equals(r.get("type")))
                            .allMatch(r -> "UP".equals(r.get("status")) && "0".equals(r.get("qcur")));
                });
    }

    /** One command on the admin stats socket, e.g. {@code disable server be_web/web2}; returns the answer. */
    String admin(String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("admin.sock")));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(8192);
            StringBuilder out = new StringBuilder();
            while (ch.read(buf) > 0) {
                buf.flip();
                out.append(StandardCharsets.US_ASCII.decode(buf));
                buf.clear();
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy admin socket: " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static boolean isTimeout(Throwable t) {
        return t instanceof ConditionTimeoutException;
    }
}
