package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.EtcdCode.ETCD_EVEN_MEMBERS;
import static io.opsdoc.checks.kubernetes.EtcdCode.ETCD_LEADER_CHURN;
import static io.opsdoc.checks.kubernetes.EtcdCode.ETCD_SLOW_DISK;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of k8s-etcd that are about margins rather than outages: a member count that adds no failure tolerance,
 * leaders that keep changing, and disks too slow for Raft. Pure functions of {@link EtcdFacts} and parameters.
 */
final class EtcdClusterRisks {
    /** The etcd mixin's window for etcdHighNumberOfLeaderChanges. */
    static final double CHURN_SPAN_SECONDS = 15 * 60;
    /**
     * Fewer observations than this between the two readings make a p99 that is one fsync's luck; then the
     * cumulative histogram since the member started decides instead.
     */
    static final long MIN_WINDOW_OBSERVATIONS = 10;

    private EtcdClusterRisks() {
    }

    static void evenMembers(EtcdFacts facts, Evaluation.Builder out) {
        List<EtcdFacts.Member> voting = facts.members().stream().filter(m -> !m.learner()).toList();
        int n = voting.size();
        if (n == 0 || n % 2 != 0) {
            return;
        }
        long learners = facts.members().size() - n;
        int quorum = n / 2 + 1;
        int tolerated = (n - 1) / 2;
        List<String> notStarted = voting.stream().filter(m -> m.clientUrls().isEmpty()).map(EtcdFacts.Member::id).toList();
        out.finding(ETCD_EVEN_MEMBERS, Severity.WARNING, "the member list has " + n + " voting members"
                + (learners > 0 ? " (and " + learners + " learner(s), which do not vote)" : "") + ": a write needs "
                + quorum + " of them, so the cluster tolerates " + tolerated + " failure(s), no more than " + (n - 1)
                + " members would, and each extra member is one more that can fail or slow the quorum down"
                + (notStarted.isEmpty() ? "" : "; " + String.join(", ", notStarted) + " was added (etcdctl member add) "
                        + "but has never started")
                + ". Run an odd number: start or remove the extra member (etcdctl member remove ID), or add one more",
                Evidence.of("voting_members", n, "learners", learners, "quorum", quorum, "failures_tolerated", tolerated,
                        "never_started", String.join(", ", notStarted)));
    }

    /**
     * etcd_server_leader_changes_seen_total counts every leader a member has seen since it started, the first one
     * included; one reading cannot give the mixin's increase over 15 minutes, so the changes after the first leader
     * are spread over the member's uptime, or over 15 minutes when it has run for less: exact for a young member,
     * an underestimate of recent churn for an old one.
     */
    static void leaderChurn(EtcdFacts facts, Parameters p, Evaluation.Builder out) {
        long limit = p.integer("leader-changes");
        EtcdMetrics worst = null;
        double worstRate = -1;
        for (EtcdMetrics m : newest(facts).values()) {
            if (!m.answered() || m.leaderChanges() < 0 || m.startTime() <= 0) {
                continue;
            }
            double rate = per15Minutes(m);
            if (rate > worstRate) {
                worst = m;
                worstRate = rate;
            }
        }
        if (worst == null) {
            return;
        }
        out.metric(Metric.of("etcd_leader_changes_per_15m", Math.round(worstRate * 10) / 10.0, ""));
        if (worstRate < limit) {
            return;
        }
        long changes = Math.max(0, worst.leaderChanges() - 1);
        long uptime = Math.round(uptime(worst));
        out.finding(ETCD_LEADER_CHURN, Severity.WARNING, "member " + worst.member() + " has seen " + changes
                + " leader change(s) in the " + human(uptime) + " since it started (" + String.format(Locale.ROOT,
                        "%.1f", worstRate) + " per 15 minutes, leader-changes " + limit + "): every change stalls "
                + "writes for an election and fails the API server's requests in flight. Usual causes: slow disks "
                + "(WAL fsync, see ETCD_SLOW_DISK), an overloaded member (CPU, a defragmentation or a large snapshot), "
                + "or a congested or lossy network between members; a leader moved on purpose (etcdctl move-leader, "
                + "rolling restarts) counts too",
                Evidence.of("member", worst.member(), "leader_changes_seen_total", worst.leaderChanges(),
                        "leader_changes", changes, "uptime_seconds", uptime, "changes_per_15m",
                        Math.round(worstRate * 10) / 10.0, "leader-changes", limit));
    }

    private static double uptime(EtcdMetrics m) {
        return Math.max(0, m.scrapedAt() - m.startTime());
    }

    static double per15Minutes(EtcdMetrics m) {
        long changes = Math.max(0, m.leaderChanges() - 1);
        return changes * CHURN_SPAN_SECONDS / Math.max(uptime(m), CHURN_SPAN_SECONDS);
    }

    /**
     * p99 of WAL fsync and backend commit per member, over the window (the difference of two readings' buckets, as
     * Prometheus's rate does), or since the member started when the window saw too few observations.
     */
    static void slowDisk(EtcdFacts facts, Parameters p, Evaluation.Builder out) {
        double walLimit = p.duration("wal-fsync-p99").toNanos() / 1e9;
        double commitLimit = p.duration("backend-commit-p99").toNanos() / 1e9;
        Map<String, EtcdMetrics> later = newest(facts);
        double worstWal = Double.NaN;
        double worstCommit = Double.NaN;
        for (EtcdMetrics first : facts.metrics()) {
            if (!first.answered()) {
                continue;
            }
            EtcdMetrics last = later.get(first.member());
            Quantile wal = p99(first.walFsync(), last.walFsync(), facts.windowMs());
            Quantile commit = p99(first.backendCommit(), last.backendCommit(), facts.windowMs());
            worstWal = max(worstWal, wal.seconds());
            worstCommit = max(worstCommit, commit.seconds());
            List<String> slow = new ArrayList<>();
            if (wal.seconds() > walLimit) {
                slow.add("WAL fsync p99 " + EtcdMetrics.seconds(wal.seconds()) + " (wal-fsync-p99 "
                        + p.raw().get("wal-fsync-p99") + ", " + wal.basis() + ", " + wal.observations() + " fsyncs)");
            }
            if (commit.seconds() > commitLimit) {
                slow.add("backend commit p99 " + EtcdMetrics.seconds(commit.seconds()) + " (backend-commit-p99 "
                        + p.raw().get("backend-commit-p99") + ", " + commit.basis() + ", " + commit.observations()
                        + " commits)");
            }
            if (slow.isEmpty()) {
                continue;
            }
            out.finding(ETCD_SLOW_DISK, Severity.WARNING, "member " + first.member() + "'s disk is too slow for etcd: "
                    + String.join("; ", slow) + ". Every write waits for the WAL fsync before it is acknowledged, and "
                    + "a leader that cannot fsync in time misses heartbeats: expect slow API requests and leader "
                    + "changes. Healthy is under 10 ms for fsync and 25 ms for commit: give etcd a dedicated SSD, move "
                    + "it away from noisy neighbours (container logs, image pulls, backups on the same disk) and look "
                    + "at the disk's latency (iostat -x: await, %util)",
                    evidence(first.member(), wal, commit, facts.windowMs(), p), first.member());
        }
        if (!Double.isNaN(worstWal)) {
            out.metric(new Metric("etcd_wal_fsync_p99_seconds", round(worstWal), "s", Map.of(), walLimit, null));
        }
        if (!Double.isNaN(worstCommit)) {
            out.metric(new Metric("etcd_backend_commit_p99_seconds", round(worstCommit), "s", Map.of(), commitLimit,
                    null));
        }
    }

    private static Evidence evidence(String member, Quantile wal, Quantile commit, long windowMs, Parameters p) {
        Evidence e = Evidence.of("member", member);
        if (!Double.isNaN(wal.seconds())) {
            e.put("wal_fsync_p99_seconds", round(wal.seconds())).put("wal_fsync_basis", wal.basis())
                    .put("wal_fsyncs", wal.observations());
        }
        if (!Double.isNaN(commit.seconds())) {
            e.put("backend_commit_p99_seconds", round(commit.seconds())).put("backend_commit_basis", commit.basis())
                    .put("backend_commits", commit.observations());
        }
        return e.put("window_ms", windowMs).put("wal-fsync-p99", p.raw().get("wal-fsync-p99"))
                .put("backend-commit-p99", p.raw().get("backend-commit-p99"));
    }

    /** The p99, what it was computed over, and from how many observations. */
    record Quantile(double seconds, String basis, long observations) {
    }

    static Quantile p99(EtcdMetrics.Histogram first, EtcdMetrics.Histogram last, long windowMs) {
        EtcdMetrics.Histogram delta = last == first ? null : last.since(first);
        if (delta != null && delta.count() >= MIN_WINDOW_OBSERVATIONS) {
            return new Quantile(delta.quantile(0.99), "over the last " + windowMs + " ms", delta.count());
        }
        return new Quantile(last.quantile(0.99), "since the member started", last.count());
    }

    /** Each member's newest reading: the later one when there is one that answered, else the first. */
    private static Map<String, EtcdMetrics> newest(EtcdFacts facts) {
        Map<String, EtcdMetrics> out = new java.util.LinkedHashMap<>();
        facts.metrics().forEach(m -> out.put(m.member(), m));
        facts.metricsLater().stream().filter(EtcdMetrics::answered).forEach(m -> out.put(m.member(), m));
        return out;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double round(double s) {
        return Double.isNaN(s) ? s : Math.round(s * 10_000) / 10_000.0;
    }

    private static String human(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + " h";
        }
        return seconds / 86_400 + " days";
    }
}
