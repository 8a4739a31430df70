package io.opsdoc.lab.redis;

import io.opsdoc.lab.Ports;
import io.opsdoc.lab.redis.RedisWire.Cmd;
import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What every part of one Redis lab shares: the binary ({@link RedisVersion}), the work directory, the lab's users
 * (created on every server it starts, with passwords fresh for each lab), loopback ports that no other lab server of
 * this JVM holds (a 6.2 and a 7 lab run side by side), the clients faults keep running, and waiting for a server to
 * show what a fault did.
 */
final class RedisServers {
    static final String HOST = LabRedisServer.HOST;
    static final String ADMIN_USER = "labadmin";
    static final String MONITOR_USER = "monitor";
    static final String NO_PRIVILEGE_USER = "noprivs";
    /** The healthy default user: has a password and cannot run the commands that destroy data or reconfigure. */
    private static final String DEFAULT_USER_RULES = "on ~* allchannels +@all -flushall -flushdb -keys -config -debug";
    /** How long a fault (or healing) may take to show; generous, since 2 cores are shared by parallel builds. */
    static final Duration FAULT_DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(25);

    /** Ports handed to any lab server in this JVM. */
    private static final Set<Integer> RESERVED = new HashSet<>();

    final RedisVersion version;
    final Path workDir;
    final String adminPassword = Passwords.random();
    final String monitorPassword = Passwords.random();
    final String noPrivilegePassword = Passwords.random();
    final String applicationPassword = Passwords.random();
    final BackgroundClients background = new BackgroundClients();

    RedisServers(RedisVersion version, Path workDir) {
        this.version = version;
        this.workDir = workDir;
    }

    /** A server (not started) with the lab's admin user, in the work directory. */
    LabRedisServer server(String name, int port, List<String> args) {
        return new LabRedisServer(version, name, port, workDir, args, ADMIN_USER, adminPassword);
    }

    /** A Sentinel (not started) with the given config; Sentinels have no password in the lab. */
    LabRedisServer sentinel(String name, int port, String config) {
        return new LabRedisServer(version, name, port, workDir, config);
    }

    /** Starts {@code server} and creates the lab's users on it (a fresh server has only a passwordless default). */
    void start(LabRedisServer server) {
        server.start();
        try (Jedis init = server.connect(null, null, 10_000)) {
            init.sendCommand(Cmd.ACL, "SETUSER", ADMIN_USER, "reset", "on", ">" + adminPassword, "~*", "allchannels", "+@all");
            setUser(init, MONITOR_USER, monitorPassword, RedisLab.MONITOR_RULES);
            setUser(init, NO_PRIVILEGE_USER, noPrivilegePassword, "-@all");
            List<String> def = new ArrayList<>(List.of("SETUSER", "default", "reset", ">" + applicationPassword));
            def.addAll(List.of(DEFAULT_USER_RULES.split(" ")));
            init.sendCommand(Cmd.ACL, def.toArray(String[]::new));
        }
    }

    /** {@code ACL SETUSER user reset on >password resetkeys resetchannels <rules>}. */
    static void setUser(Jedis admin, String user, String password, String rules) {
        List<String> args = new ArrayList<>(List.of("SETUSER", user, "reset", "on", ">" + password, "resetkeys", "resetchannels"));
        args.addAll(List.of(rules.trim().split("\\s+")));
        admin.sendCommand(Cmd.ACL, args.toArray(String[]::new));
    }

    /** A free loopback port no lab server of this JVM has been given yet. */
    static int reservePort() {
        while (true) {
            int p = Ports.freePort();
            if (reserve(p)) {
                return p;
            }
        }
    }

    private static boolean reserve(int port) {
        synchronized (RESERVED) {
            return RESERVED.add(port);
        }
    }

    /** A free port whose cluster bus port (port + 10000) is free too. */
    static int clusterPort() {
        while (true) {
            int p = reservePort();
            if (p + 10_000 > 65_535 || !reserve(p + 10_000)) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket()) {
                bus.bind(new InetSocketAddress(HOST, p + 10_000));
            } catch (IOException e) {
                continue;
            }
            return p;
        }
    }

    /**
     * An application that keeps writing {@code valueBytes} values to {@code server} every {@code everyMillis} (over
     * {@code keySpace} keys), ignoring the OOM and MISCONF errors a fault makes it get, until healed.
     */
    void startWriter(LabRedisServer server, String prefix, int valueBytes, long everyMillis, int keySpace) {
        String value = "w".repeat(valueBytes);
        long[] n = {0};
        background.loop("writer-" + prefix, () -> {
            Jedis j = background.keep(server.admin());
            return () -> {
                try {
                    j.set(prefix + (n[0]++ % keySpace), value);
                } catch (JedisException e) {
                    if (e.getMessage() == null || !(e.getMessage().startsWith("OOM") || e.getMessage().startsWith("MISCONF"))) {
                        throw e;
                    }
                }
                RedisWire.sleep(everyMillis);
            };
        });
    }

    /** Waits until {@code server}'s INFO shows {@code what}; the failure names the last error and the server's log. */
    static Map<String, String> awaitInfo(LabRedisServer server, String what, Predicate<Map<String, String>> shows) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        await("the " + server.name() + " redis showing " + what, () -> {
            try (Jedis j = server.admin()) {
                last.set(RedisWire.parseInfo(j.info("all")));
            }
            return shows.test(last.get());
        }, () -> "; log: " + server.log());
        return last.get();
    }

    /** Polls {@code shows} until true; an exception counts as not yet (a server restarting refuses connections). */
    static void await(String what, BooleanSupplier shows) {
        await(what, shows, () -> "");
    }

    private static void await(String what, BooleanSupplier shows, java.util.function.Supplier<String> context) {
        AtomicReference<RuntimeException> error = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(FAULT_DEADLINE).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .pollInSameThread().until(() -> {
                        try {
                            return shows.getAsBoolean();
                        } catch (RuntimeException e) {
                            error.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            RuntimeException last = error.get();
            throw new IllegalStateException("the Redis lab did not show " + what + " within "
                    + FAULT_DEADLINE.toSeconds() + " s" + (last == null ? "" : " (last error: " + last.getMessage() + ")")
                    + context.get(), e);
        }
    }
}
