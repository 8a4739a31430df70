package io.opsdoc.lab.zookeeper;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real 3-member ZooKeeper 3.8 ensemble from Debian's jars on loopback, plus a separate 2-member ensemble (the
 * "pair": too small, even, and a second leader when a connect string names both ensembles): the members are
 * killed with SIGKILL (one: the quorum holds; two: it is lost) and restarted, one is restarted with a smaller 4lw
 * whitelist, and the third member runs with {@code ulimit -n 100} (a unit with a low LimitNOFILE) so that held client
 * connections bring it near its descriptor limit. Every fault is undone by {@link #heal()}: dead or reconfigured
 * members are restarted and the ensemble is awaited until it has one leader and two followers again.
 */
public final class ZookeeperLab implements Lab {
    static final Duration FORM = Duration.ofSeconds(90);
    /** The third member's open-files limit: ~45 descriptors at rest, so a few dozen connections near the limit. */
    static final int LOW_OPEN_FILES = 100;
    private static ZookeeperLab shared;

    private final Path dir;
    private final List<LabZookeeperServer> members;
    private final List<LabZookeeperServer> pair;
    private final List<Socket> held = new ArrayList<>();
    private final ZookeeperClientFaults clients;

    private ZookeeperLab(Path dir, List<LabZookeeperServer> members, List<LabZookeeperServer> pair) {
        this.dir = dir;
        this.members = members;
        this.pair = pair;
        this.clients = new ZookeeperClientFaults(dir);
    }

    /** Null when the lab can run here, else which package is missing. */
    public static String unavailable() {
        if (!Files.isReadable(LabZookeeperServer.ZOOKEEPER_JAR)) {
            return ExternalBinary.missing("zookeeper", LabZookeeperServer.ZOOKEEPER_JAR.toString());
        }
        if (!Files.isReadable(LabZookeeperServer.SLF4J_SIMPLE_JAR)) {
            return ExternalBinary.missing("libslf4j-java", LabZookeeperServer.SLF4J_SIMPLE_JAR.toString());
        }
        return null;
    }

    public static synchronized ZookeeperLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static ZookeeperLab start() {
        long t0 = System.nanoTime();
        Path dir = LabFiles.tempDir("opsdoc-zookeeper-lab-");
        int[] ports = Ports.freePorts(15);
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            servers.append("server.").append(i + 1).append("=127.0.0.1:").append(ports[3 + 2 * i]).append(':')
                    .append(ports[4 + 2 * i]).append('\n');
        }
        List<LabZookeeperServer> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new LabZookeeperServer("zk" + (i + 1), dir.resolve("zk" + (i + 1)), i + 1, ports[i],
                    servers.toString(), i == 2 ? LOW_OPEN_FILES : 0));
        }
        // ports 9-10: the pair's client ports; 11-14: its quorum and election ports
        String pairServers = "server.1=127.0.0.1:" + ports[11] + ":" + ports[12] + "\n"
                + "server.2=127.0.0.1:" + ports[13] + ":" + ports[14] + "\n";
        List<LabZookeeperServer> pair = List.of(
                new LabZookeeperServer("pair1", dir.resolve("pair1"), 1, ports[9], pairServers, 0),
                new LabZookeeperServer("pair2", dir.resolve("pair2"), 2, ports[10], pairServers, 0));
        ZookeeperLab lab = new ZookeeperLab(dir, members, pair);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "zookeeper-lab-cleanup"));
        try {
            // all four JVMs at once: the ensemble forms as soon as two members see each other
            members.forEach(m -> m.start(LabZookeeperServer.FULL_WHITELIST));
            pair.forEach(m -> m.start(LabZookeeperServer.FULL_WHITELIST));
            lab.awaitFormed();
            lab.awaitPairFormed();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        System.out.printf("zookeeper lab: both ensembles up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return lab;
    }

    /** zk://m1,m2,m3: the whole ensemble, as its clients' connect string names it. */
    public String ensembleTarget() {
        return "zk://" + String.join(",", members.stream().map(LabZookeeperServer::address).toList());
    }

    /** zk://p1,p2: the 2-member ensemble. */
    public String pairTarget() {
        return "zk://" + String.join(",", pair.stream().map(LabZookeeperServer::address).toList());
    }

    /** One connect string naming the members of both ensembles, as when a member's server list differs from the others'. */
    public String bothEnsemblesTarget() {
        return ensembleTarget() + "," + String.join(",", pair.stream().map(LabZookeeperServer::address).toList());
    }

    /** The member that runs with a low open-files limit. */
    public String lowLimitMember() {
        return members.get(2).address();
    }

    // ---- faults ----

    /** SIGKILLs one follower; returns once the others still have a leader and a follower. */
    public String killFollower() {
        LabZookeeperServer f = members.stream().filter(m -> "follower".equals(m.mode())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower: " + modes()));
        f.kill();
        await("the leader still leading after " + f.name() + " was killed", () -> members.stream()
                .filter(LabZookeeperServer::alive).anyMatch(m -> "leader".equals(m.mode())));
        return f.address();
    }

    /**
     * SIGSTOPs one follower (a hung JVM: a long GC pause, a stuck disk); returns once the leader has dropped it from
     * its synced followers (after syncLimit ticks without an acknowledgement).
     */
    public void pauseFollower() {
        LabZookeeperServer f = members.stream().filter(m -> "follower".equals(m.mode())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower: " + modes()));
        LabZookeeperServer leader = members.stream().filter(m -> "leader".equals(m.mode())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader: " + modes()));
        f.pause();
        await("the leader counting one synced follower after " + f.name() + " was stopped",
                () -> leader.mntr("zk_synced_followers") == 1);
    }

    /** SIGKILLs two of the three members; returns once the survivor says it is not serving. */
    public void killTwo() {
        members.get(0).kill();
        members.get(1).kill();
        LabZookeeperServer survivor = members.get(2);
        await("the survivor " + survivor.name() + " not serving", () -> survivor.fourLetterWord("srvr")
                .contains("not currently serving requests"));
    }

    /** Restarts one follower with 4lw.commands.whitelist=srvr (the default since 3.5.3): mntr is refused. */
    public void reduceWhitelist() {
        LabZookeeperServer m = members.get(0);
        m.kill();
        m.start("srvr");
        await(m.name() + " serving again with srvr only", () -> m.mode() != null
                && m.fourLetterWord("mntr").contains("not in the whitelist"));
        awaitFormed();
    }

    /**
     * Opens client connections to the low-limit member until its open descriptors reach about 87% of its limit;
     * they stay open until heal().
     */
    public void holdConnections() throws IOException {
        LabZookeeperServer m = members.get(2);
        long max = m.mntr("zk_max_file_descriptor_count");
        long target = Math.round(max * 0.87);
        long open = m.mntr("zk_open_file_descriptor_count");
        if (max <= 0 || open <= 0) {
            throw new IllegalStateException(m.name() + " gives no descriptor counts: " + modes());
        }
        for (long i = open; i < target; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", m.clientPort()), 2_000);
            held.add(s);
        }
        await(m.name() + " holding about " + target + " descriptors", () -> {
            long now = m.mntr("zk_open_file_descriptor_count");
            return now >= max * 0.82;
        });
    }

    /** A client of the first member watches 60 znodes, one data watch each, until heal(). */
    public void holdWatches() {
        clients.holdWatches(members.get(0), WATCHES);
    }

    /** 100 znodes of 1 KiB each: about 100 KiB more data on every member, until heal(). */
    public void writeData() {
        clients.writeData(members.get(0), members, 100, 1024);
    }

    static final int WATCHES = 60;

    // ---- healing ----

    @Override
    public synchronized void heal() {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                // the next one is closed anyway
            }
        }
        held.clear();
        boolean wasPaused = members.stream().anyMatch(LabZookeeperServer::paused);
        members.forEach(LabZookeeperServer::resume);
        for (LabZookeeperServer m : members) {
            if (!LabZookeeperServer.FULL_WHITELIST.equals(m.whitelist())) {
                m.kill();
            }
            if (!m.alive()) {
                m.start(LabZookeeperServer.FULL_WHITELIST);
            }
        }
        awaitFormed();
        if (wasPaused) {
            // a resumed follower still says "follower" until it notices that the leader dropped it: wait until the
            // leader counts it again
            await("the leader counting two synced followers again", () -> members.stream()
                    .filter(m -> "leader".equals(m.mode())).anyMatch(m -> m.mntr("zk_synced_followers") == 2));
        }
        if (pair.stream().anyMatch(p -> !p.alive())) {
            pair.forEach(p -> {
                if (!p.alive()) {
                    p.start(LabZookeeperServer.FULL_WHITELIST);
                }
            });
            awaitPairFormed();
        }
        clients.heal(members);
        LabZookeeperServer m = members.get(2);
        await("the held connections of " + m.name() + " closed", () -> {
            long open = m.mntr("zk_open_file_descriptor_count");
            return open > 0 && open < LOW_OPEN_FILES * 0.7;
        });
    }

    /** The pair: one leader, one follower. */
    private void awaitPairFormed() {
        await("the pair formed (one leader, one follower)", () -> {
            List<String> modes = pair.stream().map(LabZookeeperServer::mode).toList();
            return modes.contains("leader") && modes.contains("follower");
        });
    }

    /** One leader, two followers, every member answering mntr. */
    private void awaitFormed() {
        await("the ensemble formed (one leader, two followers)", () -> {
            List<String> modes = members.stream().map(LabZookeeperServer::mode).toList();
            return modes.stream().filter("leader"::equals).count() == 1
                    && modes.stream().filter("follower"::equals).count() == 2;
        });
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        AtomicReference<String> state = new AtomicReference<>("");
        try {
            Awaitility.await(what).atMost(FORM).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread().until(() -> {
                        for (LabZookeeperServer m : java.util.stream.Stream.concat(members.stream(), pair.stream()).toList()) {
                            if (m.exited()) {
                                // a member that exited on its own is a lab failure, not a fault
                                throw new IllegalStateException(m.name() + " exited: " + m.log());
                            }
                        }
                        boolean ok = condition.call();
                        state.set(modes());
                        return ok;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + ": not within " + FORM.toSeconds() + " s; members " + state.get()
                    + "; last log of zk1: " + members.get(0).log(), e);
        }
    }

    private String modes() {
        return String.join(", ", members.stream().map(m -> m.name() + "=" + (!m.alive() ? "killed"
                : m.paused() ? "stopped" : m.mode())).toList());
    }

    @Override
    public String where() {
        return "ensemble " + String.join(",", members.stream().map(LabZookeeperServer::address).toList())
                + " (" + members.get(2).name() + " with ulimit -n " + LOW_OPEN_FILES + "), pair "
                + String.join(",", pair.stream().map(LabZookeeperServer::address).toList());
    }

    @Override
    public synchronized void close() {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                // closing everything regardless
            }
        }
        held.clear();
        clients.close();
        members.forEach(LabZookeeperServer::kill);
        pair.forEach(LabZookeeperServer::kill);
        LabFiles.deleteRecursively(dir);
    }
}
