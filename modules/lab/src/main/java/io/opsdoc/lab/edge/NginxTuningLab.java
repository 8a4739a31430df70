package io.opsdoc.lab.edge;

import io.opsdoc.core.OnlineCpus;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;

/**
 * A second Debian nginx, separate from EdgeLab's (whose worker_processes 1 and 32 worker_connections other scenarios
 * rely on), for nginx-status's configuration findings: each fault rewrites its nginx.conf and reloads it, or lowers the
 * running master's open-file limit with prlimit, and waits until nginx runs with it. It proxies /api/ to itself through
 * an upstream, so the upstream keepalive settings are those of a real proxy_pass.
 */
public final class NginxTuningLab implements Lab {
    /** worker_connections of the healthy configuration. */
    public static final int WORKER_CONNECTIONS = 256;
    /** The master's soft open-file limit in the fd-limit fault: below WORKER_CONNECTIONS. */
    public static final int LOW_NOFILE = 128;
    private static NginxTuningLab shared;

    private final Path dir;
    private final int port;
    private final LabNginx nginx;
    private final int cpus;
    private final String originalNofile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private boolean dirty;

    private NginxTuningLab() {
        dir = LabFiles.tempDir("opsdoc-nginx-tuning-lab");
        port = Ports.freePort();
        cpus = OnlineCpus.count();
        nginx = LabNginx.start(dir.resolve("nginx"), main(), events(), http(true, "65"), List.of(port));
        originalNofile = nofile();
    }

    public static String unavailable() {
        if (LabNginx.binary().isEmpty()) {
            return ExternalBinary.missing(LabNginx.PACKAGE, "nginx");
        }
        return ExternalBinary.find("/usr/bin/prlimit").isPresent() ? null
                : ExternalBinary.missing("util-linux", "prlimit");
    }

    public static NginxTuningLab start() {
        return new NginxTuningLab();
    }

    public static synchronized NginxTuningLab shared() {
        if (shared == null || shared.closed.get()) {
            NginxTuningLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-nginx-tuning-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    public String target() {
        return "nginx://127.0.0.1:" + port + "/nginx_status";
    }

    public String configFile() {
        return nginx.configFile().toString();
    }

    // --- faults

    /** worker_processes set to two more than the CPUs online, reloaded. */
    public void tooManyWorkers() {
        dirty = true;
        nginx.reload("worker_processes " + (cpus + 2) + ";", events(), http(true, "65"), cpus + 2);
    }

    /**
     * The master's soft open-file limit lowered to 128 (as a service started with LimitNOFILE=128 would have) and
     * nginx reloaded, so its new workers inherit it; nginx itself then warns that worker_connections exceed it.
     */
    public void lowFdLimit() {
        dirty = true;
        prlimit(LOW_NOFILE + ":" + originalNofile.split(":")[1]);
        nginx.reload(main(), events(), http(true, "65"), cpus);
        Awaitility.await("nginx warns about the open file limit").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> nginx.errorLogText().contains("worker_connections exceed open file resource limit: "
                        + LOW_NOFILE));
    }

    /** keepalive_timeout 0 in the server, reloaded; nginx then answers with Connection: close. */
    public void clientKeepaliveOff() {
        dirty = true;
        nginx.reload(main(), events(), http(true, "0"), cpus);
        Awaitility.await("nginx closes after each response").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> "close".equalsIgnoreCase(connectionHeader()));
    }

    /** The upstream /api/ proxies to loses its keepalive directive, reloaded. */
    public void upstreamKeepaliveOff() {
        dirty = true;
        nginx.reload(main(), events(), http(false, "65"), cpus);
    }

    @Override
    public void heal() {
        if (!dirty) {
            return;
        }
        if (!nofile().equals(originalNofile)) {
            prlimit(originalNofile);
        }
        nginx.reload(main(), events(), http(true, "65"), cpus);
        dirty = false;
    }

    @Override
    public String where() {
        return "nginx 127.0.0.1:" + port + " (" + cpus + " CPUs, config " + configFile() + ")";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        nginx.close();
        LabFiles.deleteRecursively(dir);
    }

    // --- configuration

    private static String main() {
        return "worker_processes auto;";
    }

    private static String events() {
        return "worker_connections " + WORKER_CONNECTIONS + ";";
    }

    private String http(boolean upstreamKeepalive, String keepaliveTimeout) {
        return "  upstream self {\n    server 127.0.0.1:" + port + " max_fails=3 fail_timeout=10s;\n"
                + (upstreamKeepalive ? "    keepalive 8;\n" : "") + "  }\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n    keepalive_timeout " + keepaliveTimeout + ";\n"
                + "    location = /nginx_status { stub_status; }\n"
                + "    location = /ok { return 200 \"ok\\n\"; }\n"
                + "    location /api/ { proxy_pass http://self/ok; proxy_http_version 1.1; "
                + "proxy_set_header Connection \"\"; proxy_read_timeout 30s; }\n  }\n";
    }

    private String connectionHeader() throws IOException, InterruptedException {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ok"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        return r.headers().firstValue("connection").orElse("");
    }

    /** The master's open-file limit as soft:hard. */
    private String nofile() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(nginx.pid()), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] t = line.substring("Max open files".length()).trim().split("\\s+");
                    return t[0] + ":" + t[1];
                }
            }
            throw new IllegalStateException("no Max open files in /proc/" + nginx.pid() + "/limits");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prlimit(String softHard) {
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(nginx.pid()), "--nofile=" + softHard)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("prlimit --nofile=" + softHard + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
