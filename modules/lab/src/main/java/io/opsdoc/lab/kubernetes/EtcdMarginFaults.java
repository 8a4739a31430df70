package io.opsdoc.lab.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The etcd lab's faults that leave the cluster working with less margin: a fourth member added that never starts
 * (an even member count), leadership moved four times (leader churn), and every fsync of one member delayed by
 * 0.7 s with strace's fault injection (a slow disk). Each holds by construction (a member in the list, a counter
 * that only grows, a syscall that is always delayed), so it shows the same on an idle and a loaded machine.
 */
final class EtcdMarginFaults {
    static final Path STRACE = Path.of("/usr/bin/strace");
    private static final Duration FAULT = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofSeconds(60);
    /** Leadership transfers for the churn fault: the etcd mixin's etcdHighNumberOfLeaderChanges fires at 4. */
    static final int MOVES = 4;

    private final Path dir;
    private final List<LabEtcdMember> cluster;
    private final Supplier<LabEtcdMember> slowMember;
    private Process strace;

    EtcdMarginFaults(Path dir, List<LabEtcdMember> cluster, Supplier<LabEtcdMember> slowMember) {
        this.dir = dir;
        this.cluster = cluster;
        this.slowMember = slowMember;
    }

    static String unavailable() {
        return Files.isExecutable(STRACE) ? null : ExternalBinary.missing("strace", STRACE.toString());
    }

    /**
     * etcdctl member add of a fourth member whose process is never started (3 of 4 run: the quorum of 3 holds);
     * returns once every running member lists four.
     */
    void addUnstartedMember() {
        int peerPort = Ports.freePorts(1)[0];
        LabEtcdMember asked = cluster.get(0);
        // etcd refuses a member add until the member asked has been connected to all its peers for 5 s (its
        // strict reconfiguration check): a cluster restarted by the previous heal needs those seconds. The list is
        // read before each try, so an add whose answer was lost is never repeated.
        EtcdLab.await("a fourth member added through " + asked.name(), FAULT, () -> members(asked).size() == 4
                || asked.call("/v3/cluster/member/add", "{\"peerURLs\":[\"http://127.0.0.1:" + peerPort + "\"]}") != null
                        && members(asked).size() == 4);
        EtcdLab.await("every member listing four members", FAULT,
                () -> cluster.stream().allMatch(m -> members(m).size() == 4));
    }

    /**
     * Moves leadership to another member {@value #MOVES} times (Maintenance.MoveLeader, what etcdctl move-leader
     * sends, asked of the current leader), each time waiting until all three members follow the new leader.
     */
    void moveLeaderRepeatedly() {
        for (int i = 0; i < MOVES; i++) {
            LabEtcdMember current = byId(cluster.get(0).status().path("leader").asText());
            LabEtcdMember next = cluster.stream().filter(m -> m != current).findFirst().orElseThrow();
            String target = id(next);
            // asked again while the move has not shown: on a loaded machine a transfer can time out and be retried
            EtcdLab.await("every member following " + next.name(), FAULT, () -> {
                if (cluster.stream().allMatch(m -> target.equals(leaderOf(m)))) {
                    return true;
                }
                LabEtcdMember leader = cluster.stream().filter(m -> id(m).equals(leaderOf(next))).findFirst()
                        .orElse(null);
                if (leader != null && leader != next) {
                    leader.call("/v3/maintenance/transfer-leadership", "{\"targetID\":\"" + target + "\"}");
                }
                return false;
            });
        }
        EtcdLab.await("every member counting " + (MOVES + 1) + " leaders seen", FAULT, () -> cluster.stream()
                .allMatch(m -> m.sample("etcd_server_leader_changes_seen_total") >= MOVES + 1));
    }

    /**
     * strace attached to every thread of one member, delaying the return of each fsync and fdatasync by 0.7 s, while
     * the lab writes one key at a time; returns once the member's own histograms show enough slow WAL fsyncs and
     * backend commits that their p99 since it started is in a bucket above 0.5 s and 0.25 s.
     */
    void slowDisk() {
        LabEtcdMember m = slowMember.get();
        try {
            strace = new ProcessBuilder(STRACE.toString(), "-f", "-qq", "-p", Long.toString(m.pid()), "-e",
                    "trace=fdatasync,fsync", "-e", "inject=fdatasync,fsync:delay_exit=700000", "-o", "/dev/null")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("strace.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start strace", e);
        }
        int[] n = {0};
        EtcdLab.await(m.name() + "'s WAL fsyncs and backend commits slow in its own histograms", SLOW, () -> {
            if (!strace.isAlive()) {
                throw new IllegalStateException("strace exited: " + Files.readString(dir.resolve("strace.log")));
            }
            String value = Base64.getEncoder().encodeToString(Integer.toString(n[0]++).getBytes(StandardCharsets.US_ASCII));
            m.call("/v3/kv/put", "{\"key\":\"c2xvdw==\",\"value\":\"" + value + "\"}");
            String metrics = m.metrics();
            return slowShare(metrics, "etcd_disk_wal_fsync_duration_seconds", "0.512")
                    && slowShare(metrics, "etcd_disk_backend_commit_duration_seconds", "0.256");
        });
    }

    /** At least two observations above {@code le} and more than 2 % of all: the p99 lies above that bucket. */
    private static boolean slowShare(String metrics, String histogram, String le) {
        double fast = -1;
        double total = -1;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(histogram + "_bucket{le=\"" + le + "\"} ")) {
                fast = Double.parseDouble(line.substring(line.indexOf("} ") + 2).trim());
            } else if (line.startsWith(histogram + "_count ")) {
                total = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        double slow = total - fast;
        return fast >= 0 && slow >= 2 && slow * 50 > total;
    }

    /**
     * Detaches strace (SIGTERM: it lets the threads go) and restarts the member it slowed, so its histograms start
     * clean; removes members that were added and never started; restarts the cluster when its members have counted
     * more leaders than one election gives, so the leader change counters start again at one.
     */
    void heal() {
        if (strace != null) {
            strace.destroy();
            try {
                if (!strace.waitFor(10, TimeUnit.SECONDS)) {
                    strace.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            strace = null;
            LabEtcdMember m = slowMember.get();
            m.kill();
            m.start();
            EtcdLab.await(m.name() + " serving again after its restart", FAULT, m::ready);
        }
        for (JsonNode x : members(cluster.get(0))) {
            if (x.path("clientURLs").isEmpty()) {
                cluster.get(0).call("/v3/cluster/member/remove", "{\"ID\":\"" + x.path("ID").asText() + "\"}");
            }
        }
        EtcdLab.await("three members listed again", FAULT, () -> cluster.stream().allMatch(m -> members(m).size() == 3));
        if (cluster.stream().anyMatch(m -> m.sample("etcd_server_leader_changes_seen_total") > 2)) {
            cluster.forEach(LabEtcdMember::kill);
            cluster.forEach(LabEtcdMember::start);
            EtcdLab.await("the restarted cluster with one leader", FAULT, () -> cluster.stream()
                    .allMatch(LabEtcdMember::ready) && cluster.stream().map(m -> m.status().path("leader").asText())
                            .distinct().count() == 1);
        }
    }

    void close() {
        if (strace != null) {
            strace.destroyForcibly();
        }
    }

    private static List<JsonNode> members(LabEtcdMember m) {
        JsonNode list = m.call("/v3/cluster/member/list", "{}");
        List<JsonNode> out = new ArrayList<>();
        if (list != null) {
            list.path("members").forEach(out::add);
        }
        return out;
    }

    private LabEtcdMember byId(String id) {
        return cluster.stream().filter(m -> id.equals(id(m))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no cluster member has the leader id " + id));
    }

    private static String id(LabEtcdMember m) {
        JsonNode s = m.status();
        return s == null ? "" : s.path("header").path("member_id").asText();
    }

    /** The leader id this member knows, "" when it does not answer (and "0" when it knows none). */
    private static String leaderOf(LabEtcdMember m) {
        JsonNode s = m.status();
        return s == null ? "" : s.path("leader").asText();
    }
}
