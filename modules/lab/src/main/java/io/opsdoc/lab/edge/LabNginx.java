package io.opsdoc.lab.edge;

import io.opsdoc.lab.ExternalBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Debian's nginx (1.22) run in the foreground ({@code daemon off}) with everything under its own prefix directory:
 * config, pid, error and access logs and the temp paths, so it never touches /etc/nginx or /var/log. The master is
 * the process started here; closing it (and, to be sure, its workers by PID) stops everything.
 */
public final class LabNginx implements AutoCloseable {
    public static final String PACKAGE = "nginx";
    private final Process process;
    private final Path prefix;

    private LabNginx(Process process, Path prefix) {
        this.process = process;
        this.prefix = prefix;
    }

    public static Optional<Path> binary() {
        return ExternalBinary.find("/usr/sbin/nginx", "/usr/bin/nginx");
    }

    /**
     * @param events the body of {@code events {}}, e.g. {@code worker_connections 64;}
     * @param http   the body of {@code http {}}: upstreams and servers
     * @param ports  ports the servers listen on: ready once each accepts a connection
     */
    public static LabNginx start(Path prefix, String events, String http, List<Integer> ports) {
        return start(prefix, "worker_processes 1;", events, http, ports);
    }

    /**
     * @param main directives of the main context besides pid and error_log, e.g. {@code worker_processes auto;}
     */
    public static LabNginx start(Path prefix, String main, String events, String http, List<Integer> ports) {
        Path nginx = binary().orElseThrow(() -> new IllegalStateException(ExternalBinary.missing(PACKAGE, "nginx")));
        try {
            Files.createDirectories(prefix.resolve("logs"));
            Path file = Files.writeString(prefix.resolve("nginx.conf"), config(prefix, main, events, http));
            Process proc = new ProcessBuilder(nginx.toString(), "-c", file.toString(), "-p", prefix.toString(), "-g",
                    "daemon off;").redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            LabNginx lab = new LabNginx(proc, prefix);
            try {
                Awaitility.await("nginx listening").atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50)).pollInSameThread().until(() -> lab.listening(ports));
            } catch (ConditionTimeoutException | IllegalStateException e) {
                String why = lab.log("stdout.log") + lab.log("logs/error.log");
                lab.close();
                throw new IllegalStateException("nginx did not start: " + why, e);
            }
            return lab;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    private static String config(Path prefix, String main, String events, String http) {
        String p = prefix.toString();
        return main + "\nuser root;\npid " + p + "/logs/nginx.pid;\nerror_log " + p + "/logs/error.log info;\n"
                + "events {\n" + events + "\n}\n"
                + "http {\n  access_log " + p + "/logs/access.log;\n"
                + "  client_body_temp_path " + p + "/tmp_body; proxy_temp_path " + p + "/tmp_proxy;\n"
                + "  fastcgi_temp_path " + p + "/tmp_fcgi; uwsgi_temp_path " + p + "/tmp_uwsgi; scgi_temp_path " + p + "/tmp_scgi;\n"
                + http + "\n}\n";
    }

    /**
     * Rewrites nginx.conf and reloads it ({@code nginx -s reload}, i.e. SIGHUP to the master), then waits until the
     * master runs exactly {@code workers} worker processes, all started after the reload (the old ones finished).
     */
    public void reload(String main, String events, String http, int workers) {
        Set<Long> old = workerPids();
        try {
            Files.writeString(configFile(), config(prefix, main, events, http));
            Process p = new ProcessBuilder(binary().orElseThrow().toString(), "-c", configFile().toString(), "-p",
                    prefix.toString(), "-s", "reload").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("nginx -s reload failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reload nginx", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Awaitility.await("nginx reloaded with " + workers + " new workers").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    Set<Long> now = workerPids();
                    return now.size() == workers && now.stream().noneMatch(old::contains)
                            && process.children().noneMatch(c -> old.contains(c.pid()));
                });
    }

    /** The master's worker processes that are serving (not "is shutting down" after a reload). */
    public Set<Long> workerPids() {
        Set<Long> pids = new TreeSet<>();
        process.children().forEach(c -> {
            try {
                String cmd = Files.readString(Path.of("/proc", String.valueOf(c.pid()), "cmdline")).replace('\0', ' ');
                if (cmd.contains("worker process") && !cmd.contains("shutting down")) {
                    pids.add(c.pid());
                }
            } catch (IOException e) {
                // exited meanwhile
            }
        });
        return pids;
    }

    /** The error log's text (its whole content: the lab's logs are small). */
    public String errorLogText() {
        try {
            return Files.readString(errorLog());
        } catch (IOException e) {
            return "";
        }
    }

    private boolean listening(List<Integer> ports) {
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx exited");
        }
        // a port taken by someone else answers connects, but nginx has logged "bind() ... failed" and will give up
        if (log("stdout.log").contains("[emerg]") || log("logs/error.log").contains("[emerg]")) {
            throw new IllegalStateException("nginx logged an [emerg]");
        }
        for (int port : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    public Path errorLog() {
        return prefix.resolve("logs/error.log");
    }

    public Path configFile() {
        return prefix.resolve("nginx.conf");
    }

    public long pid() {
        return process.pid();
    }

    private String log(String name) {
        try {
            String s = Files.readString(prefix.resolve(name));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy(); // SIGTERM: the master stops its workers
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }
}
