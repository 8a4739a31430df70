package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.EtcdCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Is the etcd cluster under Kubernetes whole? Asks every member of the member list for its own status: does it know a
 * leader, does it answer at all, how big is its backend file against the quota and how much of it is in use, and
 * which alarms are raised. etcd's own view, read directly from its client URLs (the API server's /readyz/etcd, in
 * k8s-control-plane, only says whether the API server can use it).
 */
public final class EtcdHealth extends DescribedCheck<EtcdFacts> {
    public static final String ID = "k8s-etcd";
    static final String NOTE = "kubernetes/etcd";
    private static final double MIB = 1024.0 * 1024.0;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("member-timeout", ParameterType.DURATION, "3s",
                    "how long each member may take to answer its status before it counts as down"),
            new ParameterSpec("quota-backend-bytes", ParameterType.BYTES, "0",
                    "the members' --quota-backend-bytes; 0: read etcd_server_quota_backend_bytes from /metrics, "
                            + "else etcd's default 2GiB"),
            new ParameterSpec("db-warning", ParameterType.PERCENT, "80%",
                    "backend file size, as a share of the quota, that warns"),
            new ParameterSpec("db-critical", ParameterType.PERCENT, "95%",
                    "backend file size, as a share of the quota, that is critical (the etcd mixin's "
                            + "etcdDatabaseQuotaLowSpace)"),
            new ParameterSpec("fragmented-in-use", ParameterType.PERCENT, "50%",
                    "in-use share of the backend file under which it counts as fragmented"),
            new ParameterSpec("fragmented-min-size", ParameterType.BYTES, "100MiB",
                    "backend files smaller than this are never reported as fragmented (the mixin's floor)"),
            new ParameterSpec("raft-lag", ParameterType.INTEGER, "5000",
                    "raft entries a member may trail the leader's raftIndex (or its own committed index, when applying) "
                            + "by; 5000 is the apply gap at which etcd itself starts refusing requests"),
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two /metrics readings whose histogram difference gives the disk latency p99; "
                            + "with fewer than 10 fsyncs (or commits) in it, or 0s, the histograms since each member "
                            + "started decide"),
            new ParameterSpec("wal-fsync-p99", ParameterType.DURATION, "500ms",
                    "99th percentile of WAL fsync duration above which a member's disk is too slow (the etcd "
                            + "mixin's etcdHighFsyncDurations)"),
            new ParameterSpec("backend-commit-p99", ParameterType.DURATION, "250ms",
                    "99th percentile of backend commit duration above which a member's disk is too slow (the etcd "
                            + "mixin's etcdHighCommitDurations)"),
            new ParameterSpec("leader-changes", ParameterType.INTEGER, "4",
                    "leader changes per 15 minutes, averaged over a member's uptime (15 minutes at least), that "
                            + "count as churn (the etcd mixin's etcdHighNumberOfLeaderChanges)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("etcd v3 (JSON gateway on the client URL)",
            List.of("POST /v3/cluster/member/list", "POST /v3/maintenance/status",
                    "POST /v3/maintenance/alarm {\"action\":\"GET\"}", "GET /metrics"),
            "read-only calls; none needs an etcd role (no key is read). With client-certificate authentication "
                    + "(kubeadm's etcd) use a client certificate of its own, never the API server's."));

    public EtcdHealth() {
        super(ID, EtcdApi.SCHEME, "Does every etcd member answer, is there a leader, how full is the backend against "
                + "its quota, is an alarm (NOSPACE, CORRUPT) raised, does the member count tolerate a failure, does the leader "
                + "keep changing, and are the disks fast enough?", EtcdFacts.class, PARAMETERS, EtcdCode.class,
                GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return List.of(EtcdApi.SCHEME, EtcdApi.TLS_SCHEME);
    }

    @Override
    public void validate(Target target) {
        EtcdApi.endpoints(target);
        EtcdApi.client(target); // etcds://: unreadable CA, certificate or key files are bad input, not a probe error
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        if (p.percent("db-warning") > p.percent("db-critical")) {
            throw new UsageException("db-warning (" + p.raw().get("db-warning") + ") must not exceed db-critical ("
                    + p.raw().get("db-critical") + ")");
        }
    }

    @Override
    public EtcdFacts collect(CheckContext context) throws Exception {
        return EtcdApi.collect(context, context.parameters().duration("member-timeout"),
                context.parameters().bytes("quota-backend-bytes"), context.parameters().duration("window"));
    }

    @Override
    public void evaluate(EtcdFacts facts, Parameters p, Evaluation.Builder out) {
        List<EtcdFacts.Member> voting = facts.members().stream().filter(m -> !m.learner()).toList();
        List<EtcdFacts.Member> answering = voting.stream().filter(EtcdFacts.Member::answered).toList();
        int quorum = voting.size() / 2 + 1;
        boolean leader = answering.stream().anyMatch(EtcdFacts.Member::hasLeader);
        out.metric(Metric.of("etcd_members", voting.size(), ""));
        out.metric(Metric.of("etcd_members_answering", answering.size(), ""));
        out.metric(Metric.of("etcd_has_leader", leader ? 1 : 0, ""));
        if (!answering.isEmpty() && !leader) {
            Set<String> errors = new LinkedHashSet<>();
            answering.forEach(m -> errors.addAll(m.errors()));
            out.finding(ETCD_NO_LEADER, Severity.CRITICAL, "no leader: " + names(answering) + " answered and none knows "
                    + "a leader" + (errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")") + "; " + answering.size()
                    + " of " + voting.size() + " voting members answer and a leader needs " + quorum + ". The cluster "
                    + "takes no writes: the API server fails every create, update and lease renewal. Bring members "
                    + "back (a majority must run and reach each other on their peer URLs) rather than forcing a new "
                    + "cluster", Evidence.of("members", voting.size(), "answering", answering.size(), "quorum", quorum,
                            "errors", String.join("; ", errors)));
        }
        for (EtcdFacts.Member m : facts.members()) {
            if (m.answered()) {
                continue;
            }
            boolean critical = !m.learner() && answering.size() <= quorum;
            out.finding(ETCD_MEMBER_DOWN, critical ? Severity.CRITICAL : Severity.WARNING, "member " + label(m) + " at "
                    + String.join(", ", m.clientUrls()) + " does not answer: " + m.error() + ". " + answering.size()
                    + " of " + voting.size() + " voting members answer; quorum is " + quorum
                    + (m.learner() ? " (a learner does not count)" : critical
                            ? ", so one more failure stops the cluster" : ", so the cluster still tolerates "
                                    + (answering.size() - quorum) + " more failure(s)")
                    + ". Restart it with its existing data directory; replace it (member remove, then member add "
                    + "with a fresh data dir) only if its data is lost",
                    Evidence.of("member", m.name(), "id", m.id(), "client_urls", String.join(", ", m.clientUrls()),
                            "error", m.error(), "answering", answering.size(), "members", voting.size(), "quorum", quorum),
                    m.name().isEmpty() ? m.id() : m.name());
        }
        alarms(facts, out);
        dbSize(facts, p, out);
        raftLag(facts, p, out);
        EtcdClusterRisks.evenMembers(facts, out);
        EtcdClusterRisks.leaderChurn(facts, p, out);
        EtcdClusterRisks.slowDisk(facts, p, out);
    }

    /**
     * Raft progress, from the statuses read in parallel: each follower's raftIndex against the leader's, and each
     * member's applied index against its own raftIndex. The reads are milliseconds apart, so only a gap far above
     * the writes of that instant means a member is behind.
     */
    private static void raftLag(EtcdFacts facts, Parameters p, Evaluation.Builder out) {
        long limit = p.integer("raft-lag");
        String leaderId = facts.members().stream().filter(EtcdFacts.Member::hasLeader).map(EtcdFacts.Member::leader)
                .findFirst().orElse(null);
        EtcdFacts.Member leader = facts.members().stream().filter(m -> m.answered() && m.id().equals(leaderId))
                .findFirst().orElse(null);
        long worst = 0;
        for (EtcdFacts.Member m : facts.members()) {
            if (!m.answered()) {
                continue;
            }
            if (leader != null && m != leader) {
                long behind = leader.raftIndex() - m.raftIndex();
                worst = Math.max(worst, behind);
                if (behind > limit) {
                    out.finding(ETCD_RAFT_LAGGING, Severity.WARNING, "member " + label(m) + (m.learner() ? " (learner)" : "")
                            + " is " + behind + " raft entries behind the leader " + label(leader) + " (raftIndex "
                            + m.raftIndex() + " against " + leader.raftIndex() + ", raft-lag " + limit + "): it is "
                            + "catching up after a restart or a partition, or its disk or network is too slow to follow. "
                            + "It does not count towards the quorum of fresh writes until it catches up, so one more "
                            + "failure may stop the cluster; check its disk (WAL fsync) and peer latency",
                            Evidence.of("member", label(m), "raftIndex", m.raftIndex(), "leader", label(leader),
                                    "leader_raftIndex", leader.raftIndex(), "entries_behind", behind, "raft-lag", limit),
                            label(m));
                    continue;
                }
            }
            long applying = m.raftIndex() - m.raftAppliedIndex();
            if (applying > limit) {
                out.finding(ETCD_RAFT_LAGGING, Severity.WARNING, "member " + label(m) + " has committed raft entries up to "
                        + m.raftIndex() + " but applied only up to " + m.raftAppliedIndex() + " (" + applying + " behind, "
                        + "raft-lag " + limit + "): its backend is too slow to apply what the cluster agreed on; past "
                        + "5000 entries etcd answers 'etcdserver: too many requests'. Look at its disk (backend commit "
                        + "and fsync durations) and at expensive requests (large ranges, defragmentation running)",
                        Evidence.of("member", label(m), "raftIndex", m.raftIndex(), "raftAppliedIndex",
                                m.raftAppliedIndex(), "entries_unapplied", applying, "raft-lag", limit), label(m));
            }
        }
        if (leader != null) {
            out.metric(Metric.of("etcd_raft_max_entries_behind", worst, ""));
        }
    }

    private static void alarms(EtcdFacts facts, Evaluation.Builder out) {
        if (facts.alarms() == null) {
            return;
        }
        out.metric(Metric.of("etcd_alarms", facts.alarms().size(), ""));
        long dbSize = maxDbSize(facts);
        for (EtcdFacts.Alarm a : facts.alarms()) {
            String member = facts.members().stream().filter(m -> m.id().equals(a.memberId())).findFirst()
                    .map(EtcdHealth::label).orElse(a.memberId());
            Evidence e = Evidence.of("alarm", a.alarm(), "member", member, "db_size_bytes", dbSize,
                    "quota_bytes", facts.quotaBytes(), "quota_source", facts.quotaSource());
            String what = switch (a.alarm()) {
                case "NOSPACE" -> "the backend database reached its quota (db size " + mib(dbSize) + " of quota "
                        + mib(facts.quotaBytes()) + "): etcd now refuses every write with 'mvcc: database space exceeded' "
                        + "and serves only reads and deletes, so the API server can change nothing. In this order: "
                        + "1. find and stop what wrote so much (an operator or CRD flooding objects, events), delete "
                        + "what is not needed; 2. compact the history up to the current revision (etcdctl endpoint "
                        + "status -w json for the revision, then etcdctl compact REVISION); 3. defragment each member, "
                        + "one at a time (etcdctl defrag --endpoints=MEMBER), which gives the freed pages back; "
                        + "4. only then disarm: etcdctl alarm disarm (disarmed earlier, the next write raises it again). "
                        + "Raise --quota-backend-bytes only if the data really needs it (8GiB is the suggested maximum)";
                case "CORRUPT" -> "a periodic or startup corruption check found that this member's data differs from "
                        + "the others': do not disarm it. Take a snapshot from a healthy member, remove the corrupt "
                        + "member (etcdctl member remove), wipe its data directory and add it back (member add) so it "
                        + "syncs from the leader";
                default -> "etcd raised alarm " + a.alarm() + "; read the member's log for its cause before disarming";
            };
            out.finding(ETCD_ALARM, Severity.CRITICAL, "alarm " + a.alarm() + " on member " + member + ": " + what, e,
                    a.alarm() + " " + member);
        }
    }

    private static void dbSize(EtcdFacts facts, Parameters p, Evaluation.Builder out) {
        Optional<EtcdFacts.Member> biggest = facts.members().stream().filter(EtcdFacts.Member::answered)
                .max((a, b) -> Long.compare(a.dbSize(), b.dbSize()));
        if (biggest.isEmpty() || facts.quotaBytes() <= 0) {
            return;
        }
        EtcdFacts.Member m = biggest.get();
        double pct = 100.0 * m.dbSize() / facts.quotaBytes();
        double warn = p.percent("db-warning");
        double crit = p.percent("db-critical");
        out.metric(new Metric("etcd_db_size_bytes", m.dbSize(), "B", Map.of(), null, null));
        out.metric(new Metric("etcd_db_quota_used", Math.round(pct * 10) / 10.0, "%", Map.of(), warn, crit));
        if (pct >= warn) {
            boolean critical = pct >= crit;
            out.finding(ETCD_DB_NEAR_QUOTA, critical ? Severity.CRITICAL : Severity.WARNING, "the backend file of "
                    + label(m) + " is " + mib(m.dbSize()) + ", " + String.format(Locale.ROOT, "%.1f", pct) + "% of its "
                    + "quota " + mib(facts.quotaBytes()) + " (" + (critical ? "db-critical " + p.raw().get("db-critical")
                            : "db-warning " + p.raw().get("db-warning")) + "; " + mib(m.dbSizeInUse()) + " in use): at "
                    + "the quota etcd raises NOSPACE and refuses writes. Compact and defragment now, or raise the quota",
                    Evidence.of("member", label(m), "db_size_bytes", m.dbSize(), "db_size_in_use_bytes", m.dbSizeInUse(),
                            "quota_bytes", facts.quotaBytes(), "quota_source", facts.quotaSource(),
                            critical ? "db-critical" : "db-warning", p.raw().get(critical ? "db-critical" : "db-warning")));
        }
        long floor = p.bytes("fragmented-min-size");
        double inUseLimit = p.percent("fragmented-in-use");
        List<String> fragmented = new ArrayList<>();
        for (EtcdFacts.Member x : facts.members()) {
            if (!x.answered() || x.dbSize() < floor || x.dbSize() == 0) {
                continue;
            }
            double inUse = 100.0 * x.dbSizeInUse() / x.dbSize();
            if (inUse < inUseLimit) {
                fragmented.add(label(x));
                out.finding(ETCD_DB_FRAGMENTED, Severity.WARNING, "the backend file of " + label(x) + " is "
                        + mib(x.dbSize()) + " but only " + mib(x.dbSizeInUse()) + " (" + String.format(Locale.ROOT,
                                "%.0f", inUse) + "%) is in use: compaction freed the rest and only a defragmentation "
                        + "gives it back; until then the file counts against the quota. Defragment one member at a "
                        + "time (etcdctl defrag --endpoints=MEMBER: it blocks that member while it runs)",
                        Evidence.of("member", label(x), "db_size_bytes", x.dbSize(), "db_size_in_use_bytes",
                                x.dbSizeInUse(), "fragmented-in-use", p.raw().get("fragmented-in-use"),
                                "fragmented-min-size", p.raw().get("fragmented-min-size")), label(x));
            }
        }
    }

    private static long maxDbSize(EtcdFacts facts) {
        return facts.members().stream().filter(EtcdFacts.Member::answered).mapToLong(EtcdFacts.Member::dbSize).max()
                .orElse(0);
    }

    private static String label(EtcdFacts.Member m) {
        return m.name().isEmpty() ? m.id() : m.name();
    }

    private static String names(List<EtcdFacts.Member> ms) {
        return String.join(", ", ms.stream().map(EtcdHealth::label).toList());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
