package io.opsdoc.lab.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import io.opsdoc.lab.support.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A 3-node RabbitMQ 3.10 cluster from Debian's {@code rabbitmq-server} on loopback: rabbit1 starts, then rabbit2
 * and rabbit3 start side by side and join it as they boot ({@link #boot()}). Node 3 runs with 300 open files so that a few hundred connections reach its
 * limit. A quorum queue {@code qq1} (3 members) is the healthy baseline; everything else a scenario declares is
 * deleted by {@link #heal()}. The checks run as a user with only the {@code monitoring} tag and empty permissions;
 * the lab's administrator makes the faults.
 */
public final class RabbitLab implements Lab {
    public static final String MONITOR = "opsdoc-monitor";
    static final String ADMIN = "opsdoc-admin";
    static final String BASELINE_QUEUE = "qq1";
    static final int NODE3_NOFILE = 300;
    private static volatile RabbitLab shared;

    private final Path dir;
    private final Process epmd;
    private final List<RabbitNode> nodes;
    private final String adminPassword;
    private final String monitorPassword;
    private final AdminApi admin;
    private final AmqpClients amqp;
    private final Set<Integer> stopped = new HashSet<>();
    private boolean memoryLowered;
    private boolean partitioned;
    private boolean diskRaised;
    private boolean closed;

    private RabbitLab(Path dir, Process epmd, List<RabbitNode> nodes, String adminPassword, String monitorPassword) {
        this.dir = dir;
        this.epmd = epmd;
        this.nodes = nodes;
        this.adminPassword = adminPassword;
        this.monitorPassword = monitorPassword;
        this.admin = new AdminApi(nodes.get(0).httpPort, ADMIN, adminPassword);
        this.amqp = new AmqpClients(nodes.get(0).amqpPort, ADMIN, adminPassword);
    }

    /** Null when the lab can run here, else why not. */
    public static String unavailable() {
        if (RabbitNode.SBIN == null || ExternalBinary.find("/usr/bin/epmd", "/usr/lib/erlang/bin/epmd").isEmpty()) {
            return ExternalBinary.missing("rabbitmq-server", "/usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server");
        }
        return null;
    }

    public static synchronized RabbitLab shared() {
        if (shared == null || shared.closed) {
            shared = start();
        }
        return shared;
    }

    public static RabbitLab start() {
        Path dir = LabFiles.tempDir("opsdoc-rabbitmq-lab-");
        int[] ports = LowPorts.free(10);
        Process epmd = null;
        List<RabbitNode> nodes = new ArrayList<>();
        String adminPassword = Passwords.random();
        try {
            Files.writeString(dir.resolve("enabled_plugins"), "[rabbitmq_management].\n");
            Path cookie = dir.resolve(".erlang.cookie");
            Files.writeString(cookie, Passwords.random().replaceAll("[^A-Za-z0-9]", "X"));
            Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
            // our own epmd on its own port, started by us so that its PID is ours to kill
            epmd = new ProcessBuilder(ExternalBinary.find("/usr/bin/epmd", "/usr/lib/erlang/bin/epmd").orElseThrow().toString(),
                    "-port", Integer.toString(ports[0]), "-address", "127.0.0.1").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("epmd.out").toFile()).start();
            int epmdPort = ports[0];
            Process started = epmd;
            // listening before any node starts, or the first node would start a daemon epmd of its own
            await("epmd listening", Duration.ofSeconds(20)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("epmd exited: " + Files.readString(dir.resolve("epmd.out")));
                }
                return LowPorts.listening(epmdPort);
            });
            for (int i = 1; i <= 3; i++) {
                nodes.add(new RabbitNode(i, dir, ports[0], ports[3 * i - 2], ports[3 * i - 1], ports[3 * i]));
            }
            RabbitLab lab = new RabbitLab(dir, epmd, nodes, adminPassword, Passwords.random());
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-rabbitmq-lab-stop"));
            try {
                lab.boot();
            } catch (RuntimeException e) {
                lab.close();
                throw e;
            }
            return lab;
        } catch (IOException e) {
            nodes.forEach(RabbitNode::stop);
            if (epmd != null) {
                epmd.destroyForcibly();
            }
            LabFiles.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * rabbit1 boots alone; once it answers, rabbit2 and rabbit3 boot side by side and join it as they boot
     * (classic_config peer discovery naming rabbit1). A blank node that reaches a running cluster member joins it, so
     * the cluster forms by construction: no two nodes boot blank at the same time, which is the only case where
     * RabbitMQ's formation may race. This boots each node once; the former stop_app, join_cluster, start_app after a
     * first full boot cost three CLI VMs and a second application start per node.
     */
    private void boot() {
        long t0 = System.nanoTime();
        RabbitNode first = nodes.get(0);
        first.start(ADMIN, adminPassword, 0, null);
        awaitAnswering(first);
        long firstUp = (System.nanoTime() - t0) / 1_000_000;
        for (RabbitNode n : nodes.subList(1, 3)) {
            n.start(ADMIN, adminPassword, n.index == 3 ? NODE3_NOFILE : 0, first.name);
        }
        for (RabbitNode n : nodes.subList(1, 3)) {
            awaitAnswering(n);
        }
        await("3 running nodes", Duration.ofSeconds(120)).until(() -> runningNodes() == 3);
        admin.must("PUT", "/api/users/" + MONITOR, "{\"password\":\"" + monitorPassword + "\",\"tags\":\"monitoring\"}");
        admin.must("PUT", "/api/permissions/%2F/" + MONITOR, "{\"configure\":\"\",\"write\":\"\",\"read\":\"\"}");
        admin.must("PUT", "/api/queues/%2F/" + BASELINE_QUEUE, "{\"durable\":true,\"arguments\":"
                + "{\"x-queue-type\":\"quorum\",\"x-quorum-initial-group-size\":3}}");
        awaitHealthy();
        System.out.printf("rabbitmq lab: rabbit1 up in %d ms, the 3-node cluster healthy in %d ms%n", firstUp,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void awaitAnswering(RabbitNode n) {
        await("node " + n.name + " answers its management API", Duration.ofSeconds(180)).until(() -> {
            if (!n.scriptAlive()) {
                throw new IllegalStateException(n.name + " exited at start: " + n.log());
            }
            return new AdminApi(n.httpPort, ADMIN, adminPassword).get("/api/overview") != null;
        });
        n.beam();
    }

    static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .pollInSameThread().ignoreExceptionsMatching(e -> e instanceof UncheckedIOException);
    }

    // ---- what the scenarios use ----

    public String target() {
        return "rabbitmq://" + MONITOR + "@127.0.0.1:" + nodes.get(0).httpPort;
    }

    public String password() {
        return monitorPassword;
    }

    public String node(int index) {
        return nodes.get(index - 1).name;
    }

    @Override
    public String where() {
        StringBuilder b = new StringBuilder();
        for (RabbitNode n : nodes) {
            b.append(b.length() == 0 ? "" : ", ").append(n.name).append(" http 127.0.0.1:").append(n.httpPort)
                    .append(" amqp ").append(n.amqpPort);
        }
        return b.toString();
    }

    JsonNode api(String path) {
        return admin.get(path);
    }

    private int runningNodes() {
        JsonNode n = admin.get("/api/nodes?columns=name,running");
        int running = 0;
        if (n != null) {
            for (JsonNode x : n) {
                running += x.path("running").asBoolean() ? 1 : 0;
            }
        }
        return running;
    }

    private JsonNode queue(String name) {
        return admin.get("/api/queues/%2F/" + AdminApi.enc(name));
    }

    // ---- faults ----

    /** A memory high watermark far below what the node uses: the memory alarm goes off on rabbit1. */
    public void memoryAlarm() {
        memoryLowered = true;
        nodes.get(0).ctl("rabbitmqctl", "set_vm_memory_high_watermark", "0.0001");
        await("memory alarm", Duration.ofSeconds(60)).until(() -> alarmed("memory", node(1)));
    }

    /** A free-disk limit far above the disk: the disk alarm goes off on rabbit2. */
    public void diskAlarm() {
        diskRaised = true;
        nodes.get(1).ctl("rabbitmqctl", "set_disk_free_limit", "100000GB");
        await("disk alarm", Duration.ofSeconds(60)).until(() -> alarmed("disk", node(2)));
    }

    private boolean alarmed(String resource, String node) {
        JsonNode a = admin.get("/api/health/checks/alarms");
        if (a == null) {
            return false;
        }
        for (JsonNode x : a.path("alarms")) {
            if (x.path("node").asText().equals(node) && x.path("resource").asText().startsWith(resource)) {
                // and /api/nodes, which lags a statistics interval, says so too: the evidence shows both
                JsonNode n = admin.get("/api/nodes/" + node + "?columns=mem_alarm,disk_free_alarm");
                return n != null && n.path(resource.equals("disk") ? "disk_free_alarm" : "mem_alarm").asBoolean();
            }
        }
        return false;
    }

    /** stop_app on the given nodes (the VM stays up): they show as not running, their queue members as offline. */
    public void stopNodes(int... indexes) {
        for (int i : indexes) {
            stopped.add(i);
        }
        // side by side: each stop_app is a CLI VM of its own, and the end state does not depend on the order
        java.util.Arrays.stream(indexes).parallel().forEach(i -> nodes.get(i - 1).ctl("rabbitmqctl", "stop_app"));
        await("nodes stopped", Duration.ofSeconds(60)).until(() -> runningNodes() == 3 - indexes.length
                && membership(BASELINE_QUEUE).path("online").size() == 3 - indexes.length);
    }

    /** A queue's row as the replication check reads it: without statistics, which lag behind membership changes. */
    private JsonNode membership(String queue) {
        JsonNode all = admin.get("/api/queues?disable_stats=true&columns=name,members,online,slave_nodes,synchronised_slave_nodes");
        if (all != null) {
            for (JsonNode q : all) {
                if (q.path("name").asText().equals(queue)) {
                    return q;
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * Cuts rabbit1's Erlang distribution link to rabbit3, as a network failure longer than net_ticktime does; when they
     * reconnect Mnesia finds they ran apart and both record a partition (partition_handling is ignore).
     */
    public void partition() {
        partitioned = true;
        nodes.get(0).ctl("rabbitmqctl", "eval", "erlang:disconnect_node('" + node(3) + "').");
        await("a partition between rabbit1 and rabbit3", Duration.ofSeconds(60)).until(() -> {
            JsonNode n = admin.get("/api/nodes/" + node(1) + "?columns=partitions");
            return n != null && n.path("partitions").size() > 0;
        });
    }

    /**
     * Restarts the app of every node rabbit1 is partitioned from: they rejoin with rabbit1's state. RabbitMQ may turn a
     * cut link into a wider partition on its own ("partial partition detected": it then also drops a node that could
     * still see the other side), so this repeats until rabbit1 reports no partition.
     */
    private void healPartition() {
        for (int round = 0; round < 4; round++) {
            JsonNode n = admin.get("/api/nodes/" + node(1) + "?columns=partitions");
            List<String> other = new ArrayList<>();
            if (n != null) {
                n.path("partitions").forEach(x -> other.add(x.asText()));
            }
            if (n != null && other.isEmpty() && noPartitions()) {
                return;
            }
            nodes.stream().filter(x -> other.contains(x.name)).parallel().forEach(x -> {
                x.ctl("rabbitmqctl", "stop_app");
                x.ctl("rabbitmqctl", "start_app");
            });
            try {
                await("partition healed", Duration.ofSeconds(30)).until(this::noPartitions);
                return;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // another round: restart whichever nodes are still on the other side
            }
        }
    }

    private boolean noPartitions() {
        JsonNode all = admin.get("/api/nodes?columns=name,running,partitions");
        if (all == null) {
            return false;
        }
        for (JsonNode x : all) {
            if (!x.path("running").asBoolean() || x.path("partitions").size() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Classic mirroring of ha.orders on two nodes, 200 messages, then the policy widened to all: the new mirror is unsynchronised (manual sync). */
    public void unsynchronisedMirror() throws Exception {
        admin.must("PUT", "/api/policies/%2F/ha-orders", "{\"pattern\":\"^ha\\\\.\",\"apply-to\":\"queues\",\"definition\":"
                + "{\"ha-mode\":\"nodes\",\"ha-params\":[\"" + node(1) + "\",\"" + node(2) + "\"],\"ha-sync-mode\":\"manual\"}}");
        admin.must("PUT", "/api/queues/%2F/ha.orders", "{\"durable\":true}");
        amqp.publish("ha.orders", 200, false);
        await("ha.orders mirrored on rabbit2 and holding 200", Duration.ofSeconds(60)).until(() -> {
            JsonNode q = queue("ha.orders");
            return q != null && q.path("messages").asLong() == 200
                    && membership("ha.orders").path("synchronised_slave_nodes").size() == 1;
        });
        admin.must("PUT", "/api/policies/%2F/ha-orders", "{\"pattern\":\"^ha\\\\.\",\"apply-to\":\"queues\",\"definition\":"
                + "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"manual\"}}");
        await("a mirror on rabbit3 that is not synchronised", Duration.ofSeconds(60)).until(() -> {
            JsonNode q = membership("ha.orders");
            return q.path("slave_nodes").size() == 2 && q.path("synchronised_slave_nodes").size() == 1;
        });
    }

    /** A durable classic queue: in this 3-node cluster its messages live on rabbit1 only. */
    public void classicQueue() {
        admin.must("PUT", "/api/queues/%2F/orders.classic", "{\"durable\":true}");
        await("orders.classic listed", Duration.ofSeconds(30)).until(() -> queue("orders.classic") != null);
    }

    /** A queue declared non-durable that is neither exclusive nor auto-delete: a restart deletes it. */
    public void transientQueue() {
        admin.must("PUT", "/api/queues/%2F/payments.transient", "{\"durable\":false}");
        await("payments.transient listed", Duration.ofSeconds(30)).until(() -> queue("payments.transient") != null);
    }

    /** 1500 messages in {@code orders}, nobody consuming. */
    public void backlogWithoutConsumer() throws Exception {
        backlogFaults().withoutConsumer();
    }

    /** 1200 messages in {@code work}, all delivered to a consumer that never acks them. */
    public AutoCloseable consumerNeverAcks() throws Exception {
        return backlogFaults().neverAcked();
    }

    /** 40 msg/s published to {@code ingest}, one consumer taking 100 ms per message. */
    public AutoCloseable publishOutpacesConsumer() throws Exception {
        return backlogFaults().outpaced();
    }

    /** One message stamped with the time it was published in {@code audit}, left there 6 s. */
    public void oldHeadMessage() throws Exception {
        backlogFaults().oldHead();
    }

    private BacklogFaults backlogFaults() {
        return new BacklogFaults(admin, amqp);
    }

    /** 150 idle AMQP connections to rabbit3, whose limit is 300 files (about 180 sockets). */
    public AutoCloseable connectionsNearLimit() throws Exception {
        AutoCloseable held = amqp.connections(nodes.get(2).amqpPort, 150);
        try {
            await("rabbit3 reports 150 sockets", Duration.ofSeconds(60)).until(() -> {
                JsonNode n = admin.get("/api/nodes/" + node(3) + "?columns=sockets_used,sockets_total");
                return n != null && n.path("sockets_used").asLong() >= 150;
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        return held;
    }

    // ---- heal ----

    @Override
    public void heal() {
        if (memoryLowered) {
            nodes.get(0).ctl("rabbitmqctl", "set_vm_memory_high_watermark", "0.4");
            memoryLowered = false;
        }
        if (diskRaised) {
            nodes.get(1).ctl("rabbitmqctl", "set_disk_free_limit", "50MB");
            diskRaised = false;
        }
        if (partitioned) {
            healPartition();
            partitioned = false;
        }
        if (!stopped.isEmpty()) {
            stopped.parallelStream().forEach(i -> nodes.get(i - 1).ctl("rabbitmqctl", "start_app"));
            stopped.clear();
        }
        JsonNode policies = admin.get("/api/policies");
        if (policies != null) {
            for (JsonNode p : policies) {
                admin.call("DELETE", "/api/policies/" + AdminApi.enc(p.path("vhost").asText()) + "/"
                        + AdminApi.enc(p.path("name").asText()), null);
            }
        }
        JsonNode queues = admin.get("/api/queues?columns=name,vhost");
        if (queues != null) {
            for (JsonNode q : queues) {
                if (!q.path("name").asText().equals(BASELINE_QUEUE)) {
                    admin.call("DELETE", "/api/queues/" + AdminApi.enc(q.path("vhost").asText()) + "/"
                            + AdminApi.enc(q.path("name").asText()), null);
                }
            }
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        await("the cluster healthy again", Duration.ofSeconds(120)).until(() -> {
            JsonNode alarms = admin.get("/api/health/checks/alarms");
            JsonNode nodesNow = admin.get("/api/nodes?columns=name,running,mem_alarm,disk_free_alarm,partitions");
            JsonNode q = queue(BASELINE_QUEUE);
            JsonNode queues = admin.get("/api/queues?columns=name");
            if (alarms == null || alarms.path("_status").asInt() != 200 || nodesNow == null || q == null
                    || queues == null || queues.size() != 1) {
                return false;
            }
            for (JsonNode n : nodesNow) {
                if (!n.path("running").asBoolean() || n.path("mem_alarm").asBoolean() || n.path("disk_free_alarm").asBoolean()
                        || n.path("partitions").size() > 0) {
                    return false;
                }
            }
            return q.path("online").size() == 3 && membership(BASELINE_QUEUE).path("online").size() == 3;
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.parallelStream().forEach(RabbitNode::stop);
        epmd.destroy();
        try {
            if (!epmd.waitFor(5, TimeUnit.SECONDS)) {
                epmd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            epmd.destroyForcibly();
        }
        LabFiles.deleteRecursively(dir);
    }
}
