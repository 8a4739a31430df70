package io.opsdoc.lab.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * One redis-server process of the lab, on 127.0.0.1, started from the binary of its {@link RedisVersion} (the
 * Redis 6.2 embedded-redis ships, or an installed Redis 7). Every (re)start gets a fresh data directory, so a
 * fault's files (a half-written RDB, a failed AOF) never leak into the next scenario.
 */
final class LabRedisServer {
    static final String HOST = "127.0.0.1";
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int SOCKET_TIMEOUT_MS = 30_000;
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);

    private final RedisVersion version;
    private final String name;
    private final int port;
    private final Path baseDir;
    private final List<String> args;
    private final String adminUser;
    private final String adminPassword;
    /** Sentinel only: the config file's text (Sentinel rewrites its config file, so it must be a writable file). */
    private final String sentinelConfig;
    private Process process;
    private int generation;
    private Path dataDir;
    /** For the next start only: the process's RLIMIT_FSIZE in bytes (0: unlimited). */
    private long nextFileSizeLimit;

    LabRedisServer(RedisVersion version, String name, int port, Path baseDir, List<String> args, String adminUser,
            String adminPassword) {
        this.version = version;
        this.name = name;
        this.port = port;
        this.baseDir = baseDir;
        this.args = List.copyOf(args);
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.sentinelConfig = null;
    }

    /** A Sentinel (redis-server --sentinel) with the given config; it has no password. */
    LabRedisServer(RedisVersion version, String name, int port, Path baseDir, String sentinelConfig) {
        this.version = version;
        this.name = name;
        this.port = port;
        this.baseDir = baseDir;
        this.args = List.of();
        this.adminUser = null;
        this.adminPassword = null;
        this.sentinelConfig = sentinelConfig;
    }

    /** The redis-server binary of {@code version}. */
    static File binary(RedisVersion version) {
        return version.binary();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** Starts the process in a fresh data dir; returns once it answers PING as the admin user. */
    void start() {
        generation++;
        dataDir = baseDir.resolve(name + "-" + generation);
        List<String> command = new ArrayList<>();
        long fsize = nextFileSizeLimit;
        nextFileSizeLimit = 0;
        if (fsize > 0) {
            // a shell sets the limit and ignores SIGXFSZ (an ignored signal stays ignored across exec), so a write
            // past the limit fails with EFBIG instead of killing the server: the kernel refuses the write, as with a
            // full disk, whoever runs the lab (root included)
            command.addAll(List.of("/bin/sh", "-c", "trap '' XFSZ; ulimit -f " + Math.max(1, fsize / 512)
                    + " || exit 90; exec \"$0\" \"$@\""));
        }
        command.add(binary(version).getAbsolutePath());
        if (sentinelConfig != null) {
            command.add(dataDir.resolve("sentinel.conf").toString());
            command.add("--sentinel");
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", HOST, "--dir", dataDir.toString(),
                "--daemonize", "no", "--logfile", "redis.log"));
        if (version == RedisVersion.V7 && sentinelConfig == null) {
            // Redis 7 refuses DEBUG and CONFIG SET of protected settings (dir) by default; the lab's fault injectors
            // use both, from the admin connection on loopback
            command.addAll(List.of("--enable-debug-command", "local", "--enable-protected-configs", "local"));
        }
        command.addAll(args);
        try {
            Files.createDirectories(dataDir);
            if (sentinelConfig != null) {
                Files.writeString(dataDir.resolve("sentinel.conf"), sentinelConfig);
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(dataDir.toFile())
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("stdout.log").toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab's " + name + " redis-server", e);
        }
        awaitPing();
    }

    /** SHUTDOWN NOSAVE (kills any fork child too), then waits for the process; SIGKILL if it lingers. */
    void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            // a server stuck in DEBUG SLEEP or a script never reads SHUTDOWN: wait one second, then SIGKILL
            try (Jedis admin = connect(adminUser, adminPassword, 1_000)) {
                admin.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, "NOSAVE");
            } catch (RuntimeException expected) {
                // the server closes the connection instead of answering SHUTDOWN
            }
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        process = null;
    }

    /**
     * The next {@link #start()} runs the server with a file size limit (RLIMIT_FSIZE) of about {@code bytes}: once
     * a file it writes reaches the limit, write() fails with EFBIG. Later starts have no limit.
     */
    void limitFileSizeOnNextStart(long bytes) {
        nextFileSizeLimit = bytes;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** A fresh connection as the lab's admin user; the caller closes it. */
    Jedis admin() {
        return connect(adminUser, adminPassword, SOCKET_TIMEOUT_MS);
    }

    /** A fresh connection (no auth when user and password are null); the caller closes it. */
    Jedis connect(String user, String password, int socketTimeoutMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS).socketTimeoutMillis(socketTimeoutMs)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false);
        if (password != null) {
            config.user(user).password(password);
        }
        return new Jedis(new HostAndPort(HOST, port), config.build());
    }

    private void awaitPing() {
        AtomicReference<RuntimeException> last = new AtomicReference<>();
        try {
            Awaitility.await("the " + name + " redis-server answering").atMost(START_DEADLINE).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).pollInSameThread()
                    .failFast("the lab's " + name + " redis-server exited at start", () -> !process.isAlive())
                    .until(() -> {
                        // the first start runs without the admin user (it is created from the init connection)
                        try (Jedis j = connect(null, null, 2_000)) {
                            j.ping();
                            return true;
                        } catch (RuntimeException e) {
                            if (e.getMessage() != null && e.getMessage().contains("NOAUTH")) {
                                return true;
                            }
                            last.set(e);
                            return false;
                        }
                    });
        } catch (TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + ": " + log(), e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the lab's " + name + " redis-server did not answer within "
                    + START_DEADLINE.toMillis() + " ms: " + (last.get() == null ? "" : last.get().getMessage()) + "; "
                    + log(), e);
        }
    }

    String log() {
        try {
            Path log = dataDir.resolve("redis.log");
            Path out = dataDir.resolve("stdout.log");
            String text = (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
            return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
