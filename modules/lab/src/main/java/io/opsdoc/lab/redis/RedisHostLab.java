package io.opsdoc.lab.redis;

import io.opsdoc.lab.host.Commands;
import io.opsdoc.lab.host.LabNetns;
import io.opsdoc.lab.host.LabSshd;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A Redis 7 host of its own for redis-host-tuning: a network namespace joined to this machine by a veth pair
 * ({@link LabNetns}), with the ssh lab's sshd and one redis-server started inside it. The check reads Redis over the
 * pair and the namespace's kernel settings over SSH into it, as it would read a real Redis host. net.core.somaxconn
 * is per namespace, so the lab can lower it there without touching this shared machine; THP and
 * vm.overcommit_memory are machine-wide and are only read, never changed.
 */
public final class RedisHostLab implements Lab {
    static final int PORT = 6379;
    /** What the lab's Redis would have with somaxconn at the kernel's default: Redis's default tcp-backlog fits. */
    static final String HEALTHY_SOMAXCONN = "4096";
    static final String LOW_SOMAXCONN = "128";
    static final String MONITOR_RULES = "-@all +info +config|get +client|setname";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static RedisHostLab shared;

    private final Path dir;
    private final LabNetns netns;
    private final LabSshd sshd;
    private final String adminPassword = Passwords.random();
    private final String monitorPassword = Passwords.random();
    private Path plainKey;
    private Path knownHosts;
    private Path changedKnownHosts;
    private Path emptyKnownHosts;
    private Process redis;
    private Path dataDir;
    private int generation;
    private boolean dirty;
    private boolean closed;

    private RedisHostLab(Path dir, LabNetns netns, LabSshd sshd) {
        this.dir = dir;
        this.netns = netns;
        this.sshd = sshd;
    }

    /** Null when this machine can run the lab, else what is missing. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the Redis host lab creates a network namespace and runs sshd: it needs root";
        }
        for (String why : new String[] {LabNetns.unavailable(), LabSshd.unavailable(), RedisVersion.V7.unavailableReason()}) {
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    public static synchronized RedisHostLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static RedisHostLab start() {
        Path dir = LabFiles.tempDir("opsdoc-redis-host-lab-");
        LabNetns netns = null;
        LabSshd sshd;
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            netns = LabNetns.create();
            sshd = LabSshd.start(dir);
        } catch (RuntimeException | IOException e) {
            if (netns != null) {
                netns.close();
            }
            LabFiles.deleteRecursively(dir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        RedisHostLab lab = new RedisHostLab(dir, netns, sshd);
        // a test JVM killed mid-scenario must leave no namespace, sshd or redis-server behind
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "redis-host-lab-cleanup"));
        try {
            lab.setUp();
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void setUp() throws IOException {
        netns.startSshd(sshd);
        // the check never offers the Redis password to the host, so the key it uses there cannot have a passphrase
        plainKey = dir.resolve("redis-host-id_ed25519");
        Files.copy(sshd.identity(), plainKey);
        Files.setPosixFilePermissions(plainKey, PosixFilePermissions.fromString("rw-------"));
        Commands.run("ssh-keygen", "-q", "-p", "-P", sshd.passphrase(), "-N", "", "-f", plainKey.toString());
        List<String> addr = List.of(netns.nsAddress());
        knownHosts = sshd.knownHostsFor("known_hosts.redis-host", addr, false);
        changedKnownHosts = sshd.knownHostsFor("known_hosts.redis-host-changed", addr, true);
        emptyKnownHosts = Files.writeString(dir.resolve("known_hosts.redis-host-empty"), "");
        netns.sysctl("net.core.somaxconn", HEALTHY_SOMAXCONN);
        startRedis();
    }

    /**
     * Starts redis-server inside the namespace, in a fresh data directory, with RDB snapshots on (so it forks) and
     * the default tcp-backlog 511. {@code ip netns exec} execs the server, so the process handle is Redis itself.
     */
    private void startRedis() {
        generation++;
        dataDir = dir.resolve("redis-" + generation);
        try {
            Files.createDirectories(dataDir);
            redis = new ProcessBuilder("ip", "netns", "exec", netns.name(), RedisVersion.V7.binary().getAbsolutePath(),
                    "--port", Integer.toString(PORT), "--bind", netns.nsAddress(), "--dir", dataDir.toString(),
                    "--daemonize", "no", "--logfile", "redis.log", "--save", "3600 1", "--appendonly", "no",
                    "--tcp-backlog", "511", "--maxmemory", "256mb", "--protected-mode", "no")
                    .directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Redis host lab's redis-server", e);
        }
        // the namespace is the lab's alone: an answer on its address can only come from this process
        await("redis-server answering in " + netns.name(), () -> {
            if (!redis.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + log());
            }
            try (Jedis j = connect(null, null)) {
                j.ping();
                return true;
            }
        });
        try (Jedis init = connect(null, null)) {
            RedisServers.setUser(init, "monitor", monitorPassword, MONITOR_RULES);
            init.sendCommand(RedisWire.Cmd.ACL, "SETUSER", "default", "reset", "on", ">" + adminPassword, "~*", "&*",
                    "+@all");
        }
    }

    private void stopRedis() {
        if (redis == null) {
            return;
        }
        redis.destroy();
        try {
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            redis.destroyForcibly();
        }
        redis = null;
    }

    private Jedis connect(String user, String password) {
        DefaultJedisClientConfig.Builder c = DefaultJedisClientConfig.builder().connectionTimeoutMillis(2_000)
                .socketTimeoutMillis(10_000);
        if (password != null) {
            c.user(user).password(password);
        }
        return new Jedis(new HostAndPort(netns.nsAddress(), PORT), c.build());
    }

    Jedis admin() {
        return connect("default", adminPassword);
    }

    String log() {
        try {
            Path log = dataDir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "(no log yet)";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    // ---- what the scenarios use ----

    public String uri() {
        return "redis://monitor@" + netns.nsAddress() + ":" + PORT;
    }

    public String monitorPassword() {
        return monitorPassword;
    }

    /** ssh:// into the namespace with the unencrypted key and a known_hosts that pins (or not) the host key. */
    public String hostParameter() {
        return ssh(knownHosts);
    }

    public String hostWithChangedKey() {
        return ssh(changedKnownHosts);
    }

    public String hostWithUnknownKey() {
        return ssh(emptyKnownHosts);
    }

    private String ssh(Path known) {
        return "ssh://" + LabSshd.USER + "@" + netns.nsAddress() + ":" + sshd.port() + "?identity="
                + URLEncoder.encode(plainKey.toString(), StandardCharsets.UTF_8) + "&known-hosts="
                + URLEncoder.encode(known.toString(), StandardCharsets.UTF_8);
    }

    // ---- faults ----

    /**
     * net.core.somaxconn lowered to 128 in the namespace, then Redis restarted there: the kernel caps a listener's
     * backlog when it calls listen(), so only a Redis started after the change really has the short accept queue.
     * Redis 7 says so in its log at start, which is what this waits for.
     */
    public void somaxconnBelowBacklog() {
        dirty = true;
        netns.sysctl("net.core.somaxconn", LOW_SOMAXCONN);
        stopRedis();
        startRedis();
        await("redis.log warning that tcp-backlog 511 cannot be enforced", () -> log().contains(
                "TCP backlog setting of 511 cannot be enforced"));
    }

    /**
     * maxmemory raised to 60 % of the machine's memory (a setting only: nothing is allocated), with RDB snapshots on:
     * a BGSAVE under writes could need that much again.
     */
    public void maxmemoryLeavesNoForkHeadroom() {
        dirty = true;
        try (Jedis j = admin()) {
            long system = Long.parseLong(RedisWire.parseInfo(j.info("memory")).get("total_system_memory"));
            String target = Long.toString(system * 6 / 10);
            j.configSet("maxmemory", target);
            await("maxmemory at 60 % of total_system_memory", () -> {
                try (Jedis k = admin()) {
                    Map<String, String> i = RedisWire.parseInfo(k.info("memory"));
                    return target.equals(i.get("maxmemory"));
                }
            });
        }
    }

    @Override
    public void heal() {
        if (!dirty && redis != null && redis.isAlive()) {
            return;
        }
        netns.sysctl("net.core.somaxconn", HEALTHY_SOMAXCONN);
        stopRedis();
        startRedis();
        dirty = false;
    }

    @Override
    public String where() {
        return "redis-server " + netns.nsAddress() + ":" + PORT + " and sshd :" + sshd.port() + " in network namespace "
                + netns.name();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopRedis();
        sshd.close();
        netns.close();
        LabFiles.deleteRecursively(dir);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> shows) {
        try {
            Awaitility.await(what).atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException)).until(shows);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the Redis host lab did not show " + what + " within "
                    + DEADLINE.toSeconds() + " s", e);
        }
    }
}
