package io.opsdoc.lab.rabbitmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One RabbitMQ node run from Debian's real scripts (not the /usr/sbin wrappers, which switch to the rabbitmq user and
 * its cookie): as this user, with {@code HOME} the lab directory (cookie), its own ports, loopback only, one
 * scheduler thread (the machine is shared). The beam PID is saved at start, because rabbit deletes its pid file while
 * the VM is still shutting down.
 */
final class RabbitNode {
    static final Path SBIN = findSbin();

    final int index;
    final String name;
    final int amqpPort;
    final int httpPort;
    final int distPort;
    private final Path dir;
    private final Path home;
    private final int epmdPort;
    private Process script;
    private ProcessHandle beam;

    RabbitNode(int index, Path home, int epmdPort, int amqpPort, int httpPort, int distPort) {
        this.index = index;
        this.name = "rabbit" + index + "@localhost";
        this.home = home;
        this.dir = home.resolve("n" + index);
        this.epmdPort = epmdPort;
        this.amqpPort = amqpPort;
        this.httpPort = httpPort;
        this.distPort = distPort;
    }

    static Path findSbin() {
        Path lib = Path.of("/usr/lib/rabbitmq/lib");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (var s = Files.list(lib)) {
            return s.filter(p -> p.getFileName().toString().startsWith("rabbitmq_server-"))
                    .map(p -> p.resolve("sbin")).filter(p -> Files.isExecutable(p.resolve("rabbitmq-server")))
                    .sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts the node in the background; {@code nofile} limits its open files (0 keeps the JVM's), so that a few
     * hundred connections reach the limit. {@code joins}, when not null, is a running node this blank node joins as
     * it boots (classic_config peer discovery): one boot instead of a boot, stop_app, join_cluster and a second
     * start_app, each of those a CLI VM of its own.
     */
    void start(String adminUser, String adminPassword, int nofile, String joins) {
        try {
            Files.createDirectories(dir);
            List<String> discovery = joins == null ? List.of() : List.of(
                    "cluster_formation.peer_discovery_backend = classic_config",
                    "cluster_formation.classic_config.nodes.1 = " + joins);
            Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n", discovery) + "\n" + String.join("\n",
                    "listeners.tcp.default = 127.0.0.1:" + amqpPort,
                    "management.tcp.port = " + httpPort,
                    "management.tcp.ip = 127.0.0.1",
                    // statistics every second (default 5 s) so that rates and queue lengths show quickly
                    "collect_statistics_interval = 1000",
                    "management.rates_mode = basic",
                    "vm_memory_high_watermark.relative = 0.4",
                    "disk_free_limit.absolute = 50MB",
                    "default_user = " + adminUser,
                    "default_pass = " + adminPassword,
                    "default_user_tags.administrator = true",
                    "default_permissions.configure = .*",
                    "default_permissions.read = .*",
                    "default_permissions.write = .*",
                    "log.console = false",
                    "log.file.level = info",
                    ""));
            List<String> cmd = new ArrayList<>();
            if (nofile > 0) {
                cmd.addAll(List.of("/bin/sh", "-c", "ulimit -n " + nofile + " && exec \"$0\"",
                        SBIN.resolve("rabbitmq-server").toString()));
            } else {
                cmd.add(SBIN.resolve("rabbitmq-server").toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.out").toFile());
            Map<String, String> env = pb.environment();
            environment(env);
            env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
            env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
            env.put("RABBITMQ_ENABLED_PLUGINS_FILE", home.resolve("enabled_plugins").toString());
            env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
            env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
            // one scheduler, no busy-waiting: two shared CPUs; distribution on loopback only
            env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none "
                    + "-kernel inet_dist_use_interface {127,0,0,1}");
            script = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start RabbitMQ node " + name, e);
        }
    }

    private void environment(Map<String, String> env) {
        env.put("HOME", home.toString());
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("RABBITMQ_NODENAME", name);
    }

    /** The beam.smp under the script, once it runs; remembered for close. */
    Optional<ProcessHandle> beam() {
        if (beam == null && script != null) {
            beam = script.descendants().filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                    .findFirst().orElse(null);
        }
        return Optional.ofNullable(beam);
    }

    boolean scriptAlive() {
        return script != null && script.isAlive();
    }

    String log() {
        try {
            Path p = dir.resolve("server.out");
            String s = Files.exists(p) ? Files.readString(p) : "";
            Path l = dir.resolve("log").resolve(name + ".log");
            if (Files.exists(l)) {
                s += "\n" + Files.readString(l);
            }
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Runs rabbitmqctl (or another sbin tool) against this node; fails with its output when it fails. */
    String ctl(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SBIN.resolve(tool).toString(), "-n", name));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        environment(pb.environment());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " " + String.join(" ", args) + " on " + name + " hung");
            }
            String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(tool + " " + String.join(" ", args) + " on " + name + " failed ("
                        + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM to the VM, SIGKILL after 10 s, then the script. */
    void stop() {
        beam().ifPresent(b -> {
            b.destroy();
            try {
                b.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                b.destroyForcibly();
            }
        });
        if (script != null) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }
}
