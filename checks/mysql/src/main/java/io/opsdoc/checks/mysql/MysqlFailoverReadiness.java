package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.FailoverCode.*;

import io.opsdoc.checks.mysql.ReplicationProgress.BinlogPosition;
import io.opsdoc.checks.mysql.ReplicationProgress.Gap;
import io.opsdoc.checks.mysql.ReplicationProgress.MariadbGtidPos;
import io.opsdoc.checks.mysql.ReplicationProgress.MysqlGtidSet;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * If the source failed now, which replica should take over, and what would be lost? Run against the source with its
 * replicas listed ({@code replicas=db2:3306,db3:3306}); compares what each replica has applied (MySQL: executed GTID
 * set; MariaDB: gtid_slave_pos per domain; MySQL without GTID: executed source binlog position) with the source and
 * with each other, and whether each could serve the others as their new source.
 *
 * <p>The target is the source rather than a list of every server: a failover is judged against the source the
 * replicas follow, and naming it explicitly avoids guessing roles from a list (a chained replica looks like a
 * source). The source is read first and the replicas right after, so a replica that keeps up is never counted behind.
 */
public final class MysqlFailoverReadiness extends DescribedCheck<FailoverFacts> {
    public static final String ID = "mysql-failover-readiness";
    static final String NOTE = "mysql/failover-readiness";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("replicas", ParameterType.STRING, "",
                    "the source's replicas as host[:port], comma-separated; read with the target's user, password and "
                            + "options (none listed is NO_REPLICA)"),
            new ParameterSpec("missing-transactions", ParameterType.INTEGER, "1",
                    "transactions a replica may lack (behind the best candidate, or the best behind the source) before "
                            + "it is reported; raise it on a busy source whose replicas are always a few behind"),
            new ParameterSpec("mha-conf", ParameterType.STRING, "",
                    "the MHA application file on the manager host, e.g. /etc/masterha/app1.cnf (empty: MHA is not "
                            + "used and not asked)"),
            new ParameterSpec("mha-host", ParameterType.STRING, "local:",
                    "where masterha_manager runs: local: or ssh://user@host[:port][?identity=FILE]"),
            new ParameterSpec("mha-check-repl", ParameterType.BOOLEAN, "false",
                    "also run masterha_check_repl: slow (seconds per node), logs in to every node over SSH and writes a "
                            + "test file in remote_workdir, so it runs only when asked"));

    public MysqlFailoverReadiness() {
        super(ID, "mysql", "If the source failed now, which replica should take over, and which would lose transactions?",
                FailoverFacts.class, PARAMETERS, FailoverCode.class, MysqlGrants.failoverReadiness());
    }

    @Override
    public void validate(Target target) {
        MysqlSession.validate(target);
        if (target.hosts().size() != 1) {
            throw new UsageException("mysql-failover-readiness runs against the source alone; list its replicas with "
                    + "--set replicas=HOST:PORT,HOST:PORT");
        }
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        if (!parameters.string("mha-conf").isBlank()) {
            MhaProbe.conf(parameters.string("mha-conf"));
            MhaProbe.host(parameters.string("mha-host"));
        }
    }

    @Override
    public FailoverFacts collect(CheckContext context) throws Exception {
        return FailoverProbe.collect(context, ID);
    }

    /** A replica that replicates from the source, with what it has applied. */
    private record Candidate(FailoverFacts.Server server, Map<String, String> channel, ReplicationProgress applied,
            boolean promotable, boolean diverged) {
        String name() {
            return server.endpoint();
        }
    }

    @Override
    public void evaluate(FailoverFacts facts, Parameters p, Evaluation.Builder out) {
        MhaVerdict.evaluate(facts.mha(), out);
        FailoverFacts.Server source = facts.source();
        ReplicationProgress sourceProgress = sourceProgress(source);
        List<Candidate> candidates = new ArrayList<>();
        int unreadable = 0;
        for (FailoverFacts.Server r : facts.replicas()) {
            if (r.probeError() != null) {
                unreadable++;
                out.finding(REPLICA_UNREADABLE, Severity.WARNING, "replica " + r.endpoint() + " could not be read ("
                        + r.probeError() + "): " + r.probeReason() + "; it is left out of the comparison",
                        Evidence.of("replica", r.endpoint(), "probe_error", r.probeError()), r.endpoint());
                continue;
            }
            Map<String, String> channel = channelFromSource(source, r);
            if (channel == null) {
                notReplicating(r, source, out);
                continue;
            }
            boolean promotable = promotable(r, out);
            boolean diverged = diverged(source, r, channel, out);
            candidates.add(new Candidate(r, channel, appliedProgress(source, r, channel), promotable, diverged));
        }
        out.metric(Metric.of("replicas_replicating", candidates.size(), ""));
        if (candidates.isEmpty()) {
            noReplica(facts, source, unreadable, out);
            return;
        }
        ReplicationProgress all = sourceProgress;
        for (Candidate c : candidates) {
            all = all == null ? c.applied() : all.union(c.applied());
        }
        List<Candidate> promotable = candidates.stream().filter(Candidate::promotable).toList();
        // a replica with errant transactions is the last choice: promoting it serves its stray writes to the others
        List<Candidate> clean = promotable.stream().filter(c -> !c.diverged()).toList();
        Candidate best = mostAdvanced(!clean.isEmpty() ? clean : promotable.isEmpty() ? candidates : promotable, all);
        long tolerated = p.integer("missing-transactions");
        if (promotable.isEmpty()) {
            out.finding(NO_PROMOTABLE_REPLICA, Severity.CRITICAL, candidates.size() + " replica(s) follow the source, "
                    + "but none writes replicated transactions to a binlog of its own: a promoted replica could not "
                    + "serve the others, which would have to be rebuilt from a backup",
                    Evidence.of("replicas", candidates.stream().map(Candidate::name).toList()));
        } else {
            Gap behindSource = sourceProgress == null ? new Gap(0, "") : best.applied().missingFrom(sourceProgress);
            out.finding(BEST_CANDIDATE, Severity.INFO, "promote " + best.name() + " if the source fails: it has "
                    + (behindSource.isEmpty() ? "applied every transaction the source has"
                    : "applied the most (" + behindSource.transactions() + " behind the source)")
                    + " and logs replicated transactions, so the other replicas can follow it",
                    progressEvidence(best, source, sourceProgress).put("missing_vs_source", behindSource.transactions()),
                    best.name());
            if (!behindSource.isEmpty() && behindSource.transactions() >= tolerated) {
                out.finding(NO_CAUGHT_UP_CANDIDATE, Severity.WARNING, "even the best candidate " + best.name()
                        + " lacks " + behindSource.transactions() + " transaction(s) the source has ("
                        + behindSource.missing() + "): a failover now loses them unless they are recovered from the "
                        + "source's binlog" + threads(best.channel()),
                        progressEvidence(best, source, sourceProgress)
                                .put("missing_transactions", behindSource.transactions())
                                .put("missing_gtids", behindSource.missing()), best.name());
            }
        }
        for (Candidate c : candidates) {
            Gap vsSource = sourceProgress == null ? new Gap(0, "") : c.applied().missingFrom(sourceProgress);
            out.metric(new Metric("missing_vs_source", vsSource.transactions(), "", Map.of("replica", c.name()),
                    null, null));
            if (c == best) {
                continue;
            }
            Gap gap = c.applied().missingFrom(best.applied());
            if (!gap.isEmpty() && gap.transactions() >= tolerated) {
                out.finding(REPLICA_MISSING_TRANSACTIONS, Severity.WARNING, "replica " + c.name() + " lacks "
                        + gap.transactions() + " transaction(s) that the best candidate " + best.name() + " has ("
                        + gap.missing() + ")" + threads(c.channel()),
                        progressEvidence(c, source, sourceProgress).put("best_candidate", best.name())
                                .put("best_applied", best.applied().text())
                                .put("missing_transactions", gap.transactions()).put("missing_gtids", gap.missing()),
                        c.name());
            }
        }
    }

    private static Candidate mostAdvanced(List<Candidate> among, ReplicationProgress all) {
        Candidate best = null;
        long fewest = Long.MAX_VALUE;
        for (Candidate c : among) {
            long missing = c.applied().missingFrom(all).transactions();
            if (missing < fewest) {
                best = c;
                fewest = missing;
            }
        }
        return best;
    }

    /** Why an applied position is behind: the thread states a reader needs next to the numbers. */
    private static String threads(Map<String, String> channel) {
        ReplicaStatusRow row = new ReplicaStatusRow(channel);
        boolean io = "Yes".equalsIgnoreCase(row.ioRunning());
        boolean sql = "Yes".equalsIgnoreCase(row.sqlRunning());
        if (!sql) {
            return "; its SQL thread is not running" + (io ? " (received transactions wait in the relay log)" : "");
        }
        return io ? "" : "; its I/O thread is not running";
    }

    private static Evidence progressEvidence(Candidate c, FailoverFacts.Server source, ReplicationProgress sourceProgress) {
        ReplicaStatusRow row = new ReplicaStatusRow(c.channel());
        Evidence e = Evidence.of("replica", c.name(), "applied", c.applied().text(),
                row.ioRunningColumn(), row.ioRunning(), row.sqlRunningColumn(), row.sqlRunning());
        e.putIfPresent("received", received(c.channel()));
        if (sourceProgress != null) {
            e.put("source_position", sourceProgress.text());
        }
        return e.put("source", source.endpoint());
    }

    /** What the I/O thread has received: MySQL's Retrieved_Gtid_Set, MariaDB's Gtid_IO_Pos. */
    private static String received(Map<String, String> channel) {
        String v = channel.containsKey("Retrieved_Gtid_Set") ? channel.get("Retrieved_Gtid_Set") : channel.get("Gtid_IO_Pos");
        return v == null || v.isBlank() ? null : v.replaceAll("\\s+", "");
    }

    private static void notReplicating(FailoverFacts.Server r, FailoverFacts.Server source, Evaluation.Builder out) {
        List<String> follows = new ArrayList<>();
        for (Map<String, String> row : r.channels()) {
            ReplicaStatusRow s = new ReplicaStatusRow(row);
            follows.add(s.sourceHost() + " (server_id " + s.value("Source_Server_Id", "Master_Server_Id") + ")");
        }
        out.finding(NOT_REPLICATING_FROM_SOURCE, Severity.WARNING, "replica " + r.endpoint() + " does not replicate "
                + "from this source (" + source.endpoint() + ", server_id " + source.variable("server_id") + "): "
                + (follows.isEmpty() ? r.statusStatement() + " returns no row, its replication was reset or never set up"
                : "it follows " + String.join(", ", follows))
                + "; it is no failover candidate and its data is not kept current",
                Evidence.of("replica", r.endpoint(), "rows", r.channels().size(), "follows", follows,
                        "source_server_id", source.variable("server_id")), r.endpoint());
    }

    private static void noReplica(FailoverFacts facts, FailoverFacts.Server source, int unreadable, Evaluation.Builder out) {
        String why = facts.replicas().isEmpty() ? "no replica was listed (--set replicas=HOST:PORT,...)"
                : unreadable == facts.replicas().size() ? "none of the " + unreadable + " listed replica(s) could be read"
                : "none of the " + facts.replicas().size() + " listed replica(s) replicates from it";
        out.finding(NO_REPLICA, Severity.CRITICAL, "no replica of " + source.endpoint() + " to fail over to: " + why
                + "; if the source fails, its data is only as current as the last backup",
                Evidence.of("source", source.endpoint(), "listed", facts.replicas().size(), "unreadable", unreadable));
    }

    /** Errant transactions: what the replica's binlog has that the source never had. */
    private static boolean diverged(FailoverFacts.Server source, FailoverFacts.Server r, Map<String, String> channel,
            Evaluation.Builder out) {
        ErrantTransactions.Errant errant = ErrantTransactions.of(source, r, channel);
        if (errant == null || errant.isEmpty()) {
            return false;
        }
        out.finding(REPLICAS_DIVERGED, Severity.WARNING, "replica " + r.endpoint() + " has " + errant.count()
                + (source.mariadb() ? " GTID stream(s)" : " transaction(s)") + " in its binlog that the source "
                + source.endpoint() + " never had (" + errant.gtids() + "): something wrote on the replica directly. "
                + "Its data differs from the source's, and promoting it would hand those stray writes to the other "
                + "replicas (or break their replication); reconcile or rebuild it before relying on it for a failover",
                Evidence.of("replica", r.endpoint(), "errant_gtids", errant.gtids(), "errant_count", errant.count(),
                        "compared", errant.variable(), "source_server_id", source.variable("server_id"),
                        "replica_server_id", r.variable("server_id"))
                        .putIfPresent("read_only", r.variable("read_only")), r.endpoint());
        return true;
    }

    /** A replica must log what it applies to serve the others after a promotion. */
    private static boolean promotable(FailoverFacts.Server r, Evaluation.Builder out) {
        String logBin = r.variable("log_bin");
        String updatesName = r.variables().containsKey("log_replica_updates") ? "log_replica_updates" : "log_slave_updates";
        String updates = r.variable(updatesName);
        boolean ok = MysqlFacts.on(logBin) && MysqlFacts.on(updates);
        if (!ok) {
            out.finding(CANNOT_BECOME_SOURCE, Severity.WARNING, "replica " + r.endpoint() + " has " + (MysqlFacts.on(logBin)
                    ? updatesName + "=" + updates + ": its binlog lacks the transactions it replicates"
                    : "log_bin=" + logBin + ": it writes no binlog") + ", so after a promotion the other replicas "
                    + "could not continue from it (" + (r.mariadb() ? "MariaDB" : "MySQL") + ")",
                    Evidence.of("replica", r.endpoint(), "log_bin", logBin, updatesName, updates), r.endpoint());
        }
        return ok;
    }

    /** The channel of {@code r} that follows {@code source}: same server_id (and UUID), else the same host:port. */
    static Map<String, String> channelFromSource(FailoverFacts.Server source, FailoverFacts.Server r) {
        String id = source.variable("server_id");
        String uuid = source.variable("server_uuid");
        for (Map<String, String> raw : r.channels()) {
            ReplicaStatusRow row = new ReplicaStatusRow(raw);
            String rowId = row.value("Source_Server_Id", "Master_Server_Id");
            String rowUuid = row.value("Source_UUID", "Master_UUID");
            if (rowId != null && !rowId.isBlank() && !"0".equals(rowId.trim())) {
                boolean sameUuid = uuid == null || rowUuid == null || rowUuid.isBlank() || uuid.equalsIgnoreCase(rowUuid);
                if (rowId.trim().equals(id) && sameUuid) {
                    return raw;
                }
            } else if (row.sourceHost().equalsIgnoreCase(source.endpoint())) {
                return raw; // never connected yet: only the configured address can tell
            }
        }
        return null;
    }

    /** What the source has: MariaDB's gtid_binlog_pos, MySQL's gtid_executed, or its binlog position without GTID. */
    static ReplicationProgress sourceProgress(FailoverFacts.Server s) {
        if (s.mariadb()) {
            return MariadbGtidPos.parse(s.variable("gtid_binlog_pos"));
        }
        if ("ON".equalsIgnoreCase(s.variable("gtid_mode"))) {
            return MysqlGtidSet.parse(s.variable("gtid_executed"));
        }
        String file = s.binlogStatus().get("File");
        Long pos = MysqlFacts.number(s.binlogStatus().get("Position"));
        return file == null || pos == null ? null : new BinlogPosition(file, pos);
    }

    /** What a replica has applied, in the source's form. */
    static ReplicationProgress appliedProgress(FailoverFacts.Server source, FailoverFacts.Server r, Map<String, String> channel) {
        if (source.mariadb()) {
            return MariadbGtidPos.parse(r.variable("gtid_slave_pos"));
        }
        if ("ON".equalsIgnoreCase(source.variable("gtid_mode"))) {
            return MysqlGtidSet.parse(r.variable("gtid_executed"));
        }
        ReplicaStatusRow row = new ReplicaStatusRow(channel);
        Long pos = row.execPos();
        return new BinlogPosition(row.execFile() == null ? "" : row.execFile(), pos == null ? 0 : pos);
    }
}
