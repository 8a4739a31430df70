package io.opsdoc.lab.zookeeper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * What clients leave in a ZooKeeper member's memory, made by ZooKeeper's own command-line client (ZooKeeperMain from
 * Debian's jar, reading commands from its standard input): watches, held by a client session that stays open until
 * heal, and znode data under {@value #DATA_ROOT}, deleted at heal.
 */
final class ZookeeperClientFaults {
    static final String WATCH_ROOT = "/opsdoc-lab-watched";
    static final String DATA_ROOT = "/opsdoc-lab-data";
    private final Path dir;
    private Process watcher;
    private LabZookeeperServer watched;
    private LabZookeeperServer written;

    ZookeeperClientFaults(Path dir) {
        this.dir = dir;
    }

    /** A client session on {@code member} that created {@code count} znodes and set a data watch on each. */
    synchronized void holdWatches(LabZookeeperServer member, int count) {
        List<String> commands = new ArrayList<>(List.of("create " + WATCH_ROOT + " x"));
        for (int i = 0; i < count; i++) {
            commands.add("create " + WATCH_ROOT + "/n" + i + " x");
            commands.add("get -w " + WATCH_ROOT + "/n" + i);
        }
        watcher = client(member, "watcher", commands, false);
        watched = member;
        await(member.name() + " holding " + count + " watches", () -> member.mntr("zk_watch_count") >= count);
    }

    /** {@code count} znodes of {@code bytes} bytes each, written through {@code member} (replicated to all). */
    synchronized void writeData(LabZookeeperServer member, List<LabZookeeperServer> all, int count, int bytes) {
        String data = "x".repeat(bytes);
        List<String> commands = new ArrayList<>(List.of("create " + DATA_ROOT + " x"));
        for (int i = 0; i < count; i++) {
            commands.add("create " + DATA_ROOT + "/n" + i + " " + data);
        }
        run(member, "writer", commands);
        written = member;
        long total = (long) count * bytes;
        await("every member holding " + total + " bytes of new data",
                () -> all.stream().allMatch(m -> m.mntr("zk_approximate_data_size") >= total));
    }

    /** Closes the watching session and deletes the written data. */
    synchronized void heal(List<LabZookeeperServer> all) {
        if (watcher != null) {
            watcher.destroyForcibly();
            waitFor(watcher);
            watcher = null;
            LabZookeeperServer m = watched;
            run(m, "cleaner", List.of("deleteall " + WATCH_ROOT));
            await(m.name() + " without the lab's watches", () -> m.mntr("zk_watch_count") == 0);
        }
        if (written != null) {
            run(written, "cleaner", List.of("deleteall " + DATA_ROOT));
            written = null;
            await("the lab's data deleted on every member",
                    () -> all.stream().allMatch(m -> m.mntr("zk_approximate_data_size") < 10_000));
        }
    }

    synchronized void close() {
        if (watcher != null) {
            watcher.destroyForcibly();
        }
    }

    /** Runs the commands and quits; fails when the client does not end in time. */
    private void run(LabZookeeperServer member, String name, List<String> commands) {
        Process p = client(member, name, commands, true);
        waitFor(p);
    }

    private Process client(LabZookeeperServer member, String name, List<String> commands, boolean quit) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", LabZookeeperServer.ZOOKEEPER_JAR + ":" + LabZookeeperServer.SLF4J_SIMPLE_JAR,
                "org.apache.zookeeper.ZooKeeperMain", "-server", member.address());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("client-" + name + ".log").toFile()))
                    .start();
            OutputStream in = p.getOutputStream();
            for (String c : commands) {
                in.write((c + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (quit) {
                in.write("quit\n".getBytes(StandardCharsets.UTF_8));
            }
            in.flush(); // the watcher's stdin stays open: the client keeps its session until it is killed
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ZooKeeper's command-line client", e);
        }
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ZooKeeper's command-line client did not end within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(condition::getAsBoolean);
    }
}
