package io.opsdoc.lab.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.http.LabCertificates;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real etcd 3.4 (Debian etcd-server) on loopback: a 3-member cluster whose members are SIGKILLed (one: a member is
 * down, the others keep a leader; two: the survivor has no leader) and a single member with a 16 MiB backend quota,
 * filled until etcd raises NOSPACE, or filled, emptied and compacted without a defragmentation. All four processes
 * start at once; {@link #heal()} restarts killed members with their data and gives the single member its space back
 * the way the note says (delete, compact, defragment, disarm).
 */
public final class EtcdLab implements Lab {
    /** The smallest quota that fills in a second (feasibility-peers §11: below ~16 MiB etcd misbehaves). */
    static final long QUOTA = 16L * 1024 * 1024;
    private static final Duration START = Duration.ofSeconds(30);
    private static final String GOOD = "etcd-20261204-0300.db";
    private static final String NEWER = "etcd-20261205-0300.db";
    private static final Duration FAULT = Duration.ofSeconds(30);
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    private static EtcdLab shared;

    private final Path dir;
    private final List<LabEtcdMember> cluster;
    private final LabEtcdMember single;
    /** A member whose client URL is https with client-certificate authentication; null until its certificates exist. */
    private LabEtcdMember tls;
    /** ssh:// to this machine for k8s-etcd-backup's remote scenarios, started on first use. */
    private final io.opsdoc.lab.host.LabSshAccess ssh;
    private final EtcdMarginFaults margins;
    private int tlsPort;
    /** The PKI and configuration archives beside the snapshots; null until the certificates exist. */
    private ControlPlaneArchives archives;

    private EtcdLab(Path dir, List<LabEtcdMember> cluster, LabEtcdMember single) {
        this.dir = dir;
        this.cluster = cluster;
        this.single = single;
        this.ssh = new io.opsdoc.lab.host.LabSshAccess(dir);
        this.margins = new EtcdMarginFaults(dir, cluster, () -> tls);
    }

    /** Null when etcd can run here, else which package is missing. */
    public static String unavailable() {
        if (!Files.isExecutable(LabEtcdMember.BINARY)) {
            return ExternalBinary.missing("etcd-server", LabEtcdMember.BINARY.toString());
        }
        return Files.isExecutable(ETCDCTL) ? EtcdMarginFaults.unavailable()
                : ExternalBinary.missing("etcd-client", ETCDCTL.toString());
    }

    public static synchronized EtcdLab shared() {
        if (shared == null) {
            EtcdLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-etcd-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    public static EtcdLab start() {
        long t0 = System.nanoTime();
        Path dir = LabFiles.tempDir("opsdoc-etcd-lab-");
        int[] ports = Ports.freePorts(11);
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            initial.append(i == 0 ? "" : ",").append("m").append(i + 1).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
        }
        List<LabEtcdMember> cluster = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cluster.add(new LabEtcdMember("m" + (i + 1), dir.resolve("m" + (i + 1)), ports[2 * i], ports[2 * i + 1],
                    initial.toString(), List.of()));
        }
        LabEtcdMember single = new LabEtcdMember("s1", dir.resolve("s1"), ports[6], ports[7],
                "s1=http://127.0.0.1:" + ports[7], List.of("--quota-backend-bytes", Long.toString(QUOTA)));
        EtcdLab lab = new EtcdLab(dir, cluster, single);
        try {
            // keytool makes the TLS member's certificates while the plain members start
            java.util.concurrent.CompletableFuture<LabCertificates> certs = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> LabCertificates.generate(mkdirs(dir.resolve("certs"))));
            cluster.forEach(LabEtcdMember::start);
            single.start();
            lab.startTls(certs.join(), ports[8], ports[9], ports[10]);
            awaitOrLogs("every etcd member serving with a leader", lab, () -> cluster.stream().allMatch(LabEtcdMember::ready)
                    && single.ready() && lab.tls.ready());
            lab.snapshot();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        System.out.printf("etcd lab: 3-member cluster and single member up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return lab;
    }

    @Override
    public String where() {
        return "etcd cluster " + clusterTarget() + ", single member " + singleTarget() + ", TLS member https://127.0.0.1:"
                + tlsPort;
    }

    /** etcd://m1,m2,m3: the cluster as the API server's --etcd-servers names it. */
    public String clusterTarget() {
        return "etcd://" + String.join(",", cluster.stream().map(LabEtcdMember::address).toList());
    }

    public String singleTarget() {
        return "etcd://" + single.address();
    }

    private void startTls(LabCertificates certs, int plainPort, int peerPort, int httpsPort) {
        Path c = dir.resolve("certs");
        certs.writePem(LabCertificates.Kind.VALID, c.resolve("member.pem"), c.resolve("member.key"));
        tlsPort = httpsPort;
        // the lab CA signed the member's certificate; the same certificate is the client's (it has no EKU, so it
        // serves both ends), as kubeadm's healthcheck-client certificate is signed by the etcd CA
        tls = new LabEtcdMember("t1", dir.resolve("t1"), plainPort, peerPort, "t1=http://127.0.0.1:" + peerPort,
                List.of("--cert-file", c.resolve("member.pem").toString(), "--key-file", c.resolve("member.key").toString(),
                        "--client-cert-auth", "--trusted-ca-file", certs.caFile().toString()), httpsPort);
        tls.start();
    }

    /** etcds:// to the TLS member, with the lab CA and the client certificate and key. */
    public String tlsTarget() {
        Path c = dir.resolve("certs");
        return "etcds://127.0.0.1:" + tlsPort + "?ca-file=" + dir.resolve("certs").resolve("lab-ca.pem") + "&cert-file="
                + c.resolve("member.pem") + "&key-file=" + c.resolve("member.key");
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot host over ssh:// as the host lab's test user, pinning the given known_hosts. */
    public String sshTarget(io.opsdoc.lab.host.LabSshAccess.HostKey key) {
        return ssh.target(key);
    }

    public String sshPassphrase() {
        return ssh.passphrase();
    }

    /** The backup directory readable by the ssh test user's group only (0750, snapshots 0640), as the grants say. */
    public void shareBackupsOverSsh() {
        ssh.shareWithTestUser(dir.resolve("backups"));
    }

    /** The backup files' glob, for k8s-etcd-backup's {@code path}. */
    public String backupPattern() {
        return dir.resolve("backups").resolve("etcd-*.db").toString();
    }

    /** The PKI and configuration archives in the backup directory, for k8s-etcd-backup's pki/config faults. */
    public ControlPlaneArchives archives() {
        return archives;
    }

    /** The glob of the backup directory's archives matching {@code name} (e.g. pki-*.tar.gz). */
    public String archivePattern(String name) {
        return archives.pattern(name);
    }

    /** A real snapshot of the single member by etcdctl snapshot save, kept aside as the pristine copy. */
    private void snapshot() {
        Path c = dir.resolve("certs");
        archives = ControlPlaneArchives.make(dir, dir.resolve("backups"), c.resolve("member.pem"), c.resolve("member.key"));
        single.call("/v3/kv/put", "{\"key\":\"" + key("/registry/namespaces/default") + "\",\"value\":\"" + key("{}") + "\"}");
        Path pristine = dir.resolve("pristine.db");
        try {
            ProcessBuilder pb = new ProcessBuilder(ETCDCTL.toString(), "--endpoints=" + single.address(), "snapshot",
                    "save", pristine.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("etcdctl.log").toFile());
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("etcdctl snapshot save failed: " + Files.readString(dir.resolve("etcdctl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        resetBackups();
    }

    /** The backup directory back to one whole snapshot, written an hour ago. */
    private void resetBackups() {
        try {
            Path backups = dir.resolve("backups");
            Files.createDirectories(backups);
            try (var files = Files.list(backups)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Path good = backups.resolve(GOOD);
            Files.copy(dir.resolve("pristine.db"), good);
            Files.setLastModifiedTime(good, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            archives.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- faults ----

    /** The backup job stopped two days ago: the newest snapshot was written 49 hours ago. */
    public void backupStale() throws IOException {
        Files.setLastModifiedTime(dir.resolve("backups").resolve(GOOD), FileTime.from(Instant.now().minus(Duration.ofHours(49))));
    }

    /** The newest snapshot was cut off (disk full, the job killed mid-write): a newer file with the first half only. */
    public void backupTruncated() throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve("pristine.db"));
        Files.write(dir.resolve("backups").resolve(NEWER), Arrays.copyOf(b, b.length / 2));
    }

    /** The newest snapshot had one byte changed after it was written (a bad copy, bit rot). */
    public void backupCorrupt() throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve("pristine.db"));
        b[b.length / 2] ^= 0x5a;
        Files.write(dir.resolve("backups").resolve(NEWER), b);
    }

    /** A cleanup removed every snapshot. */
    public void backupsGone() throws IOException {
        try (var files = Files.list(dir.resolve("backups"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    /** SIGKILLs one follower; returns once the two others still agree on a leader. */
    public void stopOneMember() {
        LabEtcdMember victim = follower();
        victim.kill();
        await("the other members keeping a leader after " + victim.name() + " was killed", FAULT,
                () -> cluster.stream().filter(m -> m != victim).allMatch(m -> hasLeader(m.status())));
    }

    /** SIGKILLs two of the three members; returns once the survivor says it has no leader. */
    public void stopTwoMembers() {
        cluster.get(0).kill();
        cluster.get(1).kill();
        LabEtcdMember survivor = cluster.get(2);
        await("the survivor " + survivor.name() + " without a leader", FAULT, () -> {
            JsonNode s = survivor.status();
            return s != null && !hasLeader(s);
        });
    }

    /**
     * Writes 1 MB values (history of four keys, never compacted) until etcd refuses with "database space exceeded";
     * returns once the NOSPACE alarm is listed and the reported db size stays the same for two readings (it moves for
     * a moment after the last write).
     */
    public void fillToNospace() {
        String value = Base64.getEncoder().encodeToString("x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 64 && !alarmed(); i++) {
            single.call("/v3/kv/put", "{\"key\":\"" + key("fill/" + (i % 4)) + "\",\"value\":\"" + value + "\"}");
        }
        long[] last = {-1};
        await("NOSPACE raised on " + single.name() + " and its db size settled", FAULT, () -> {
            if (!alarmed()) {
                return false;
            }
            JsonNode s = single.status();
            long size = s == null ? -2 : s.path("dbSize").asLong();
            boolean settled = size == last[0];
            last[0] = size;
            return settled;
        });
    }

    /**
     * Writes seven 1 MB keys (about 10 MB of file: bbolt grows in steps), deletes them and compacts everything,
     * without defragmenting: the file keeps its size, almost none of it in use. The freed pages count as free only
     * after a later commit, so the wait writes a tiny key each time it looks.
     */
    public void fragment() {
        String value = Base64.getEncoder().encodeToString("y".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 7; i++) {
            single.call("/v3/kv/put", "{\"key\":\"" + key("frag/" + i) + "\",\"value\":\"" + value + "\"}");
        }
        single.call("/v3/kv/deleterange", "{\"key\":\"" + key("frag/") + "\",\"range_end\":\"" + key("frag0") + "\"}");
        compactAll();
        await("the single member's file mostly free pages", FAULT, () -> {
            single.call("/v3/kv/put", "{\"key\":\"" + key("poke") + "\",\"value\":\"" + key("x") + "\"}");
            JsonNode s = single.status();
            return s != null && s.path("dbSize").asLong() > 6_000_000
                    && s.path("dbSizeInUse").asLong() * 2 < s.path("dbSize").asLong();
        });
    }

    /** A fourth member added to the 3-member cluster (etcdctl member add) and never started. */
    public void addUnstartedMember() {
        margins.addUnstartedMember();
    }

    /** Leadership of the 3-member cluster moved four times (etcdctl move-leader). */
    public void moveLeaderRepeatedly() {
        margins.moveLeaderRepeatedly();
    }

    /** Every fsync of the TLS member delayed by 0.7 s (strace fault injection) while keys are written to it. */
    public void slowDisk() {
        margins.slowDisk();
    }

    // ---- healing ----

    @Override
    public synchronized void heal() {
        List<LabEtcdMember> dead = cluster.stream().filter(m -> !m.alive()).toList();
        dead.forEach(LabEtcdMember::start);
        if (!dead.isEmpty()) {
            await("the cluster whole again with one leader", START, () -> cluster.stream().allMatch(LabEtcdMember::ready)
                    && cluster.stream().map(m -> m.status().path("leader").asText()).distinct().count() == 1);
        }
        margins.heal();
        JsonNode s = single.status();
        if (alarmed() || s == null || s.path("dbSize").asLong() > 4_000_000) {
            // the note's order: delete what grew, compact, defragment, then disarm
            single.call("/v3/kv/deleterange", "{\"key\":\"" + key("\0") + "\",\"range_end\":\"" + key("\0") + "\"}");
            compactAll();
            single.call("/v3/maintenance/defragment", "{}");
            JsonNode alarms = single.call("/v3/maintenance/alarm", "{\"action\":\"GET\"}");
            if (alarms != null) {
                for (JsonNode a : alarms.path("alarms")) {
                    single.call("/v3/maintenance/alarm", "{\"action\":\"DEACTIVATE\",\"memberID\":\""
                            + a.path("memberID").asText() + "\",\"alarm\":\"" + a.path("alarm").asText() + "\"}");
                }
            }
            await("the single member empty and without alarms", START, () -> {
                JsonNode x = single.status();
                return !alarmed() && x != null && x.path("dbSize").asLong() < 4_000_000;
            });
        }
        resetBackups();
    }

    private void compactAll() {
        JsonNode s = single.status();
        long revision = s == null ? 0 : s.path("header").path("revision").asLong();
        if (revision > 1) {
            single.call("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
        }
    }

    private boolean alarmed() {
        JsonNode a = single.call("/v3/maintenance/alarm", "{\"action\":\"GET\"}");
        return a != null && a.path("alarms").size() > 0;
    }

    private LabEtcdMember follower() {
        JsonNode s = cluster.get(0).status();
        String leader = s == null ? "" : s.path("leader").asText();
        for (int i = cluster.size() - 1; i >= 0; i--) {
            JsonNode x = cluster.get(i).status();
            if (x != null && !x.path("header").path("member_id").asText().equals(leader)) {
                return cluster.get(i);
            }
        }
        throw new IllegalStateException("no follower in the etcd cluster");
    }

    /** Member ids are unsigned 64-bit numbers, written as JSON strings: compared as text, never as a long. */
    static boolean hasLeader(JsonNode status) {
        String leader = status == null ? "" : status.path("leader").asText("");
        return !leader.isEmpty() && !leader.equals("0");
    }

    private static String key(String k) {
        return Base64.getEncoder().encodeToString(k.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitOrLogs(String what, EtcdLab lab, Callable<Boolean> condition) {
        try {
            await(what, START, condition);
        } catch (IllegalStateException e) {
            StringBuilder logs = new StringBuilder();
            lab.cluster.forEach(m -> logs.append("\n--- ").append(m.name()).append(": ").append(m.log()));
            logs.append("\n--- ").append(lab.single.name()).append(": ").append(lab.single.log());
            throw new IllegalStateException(e.getMessage() + logs, e);
        }
    }

    static void await(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .pollInSameThread().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + ": not within " + atMost, e);
        }
    }

    @Override
    public synchronized void close() {
        margins.close();
        ssh.close();
        cluster.forEach(LabEtcdMember::kill);
        single.kill();
        if (tls != null) {
            tls.kill();
        }
        LabFiles.deleteRecursively(dir);
    }
}
