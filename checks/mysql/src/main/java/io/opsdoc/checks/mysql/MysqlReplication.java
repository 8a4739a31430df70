package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ReplicationCode.*;

import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * Is this replica replicating, and how far behind is it? Runs on the replica: thread state and errors, lag
 * (corrected for intended delay, never treating NULL as 0), received-versus-applied positions, writability, GTID.
 */
public final class MysqlReplication extends DescribedCheck<ReplicationFacts> {
    public static final String ID = "mysql-replication";
    static final String NOTE = "mysql/replication";



    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("lag-warning", ParameterType.DURATION, "30s",
                    "lag (beyond any configured SQL_Delay) at which to warn"),
            new ParameterSpec("lag-critical", ParameterType.DURATION, "300s",
                    "lag (beyond any configured SQL_Delay) that is critical"),
            new ParameterSpec("expect-replica", ParameterType.BOOLEAN, "true",
                    "the server is meant to be a replica: no replication configured is CRITICAL (INFO when false)"));

    private static final List<GrantSet> GRANTS = MysqlGrants.replicaStatus();

    private static final List<String> VARIABLES = List.of("read_only", "super_read_only", "gtid_mode", "server_id");

    public MysqlReplication() {
        super(ID, "mysql", "Is this MySQL/MariaDB replica replicating, and how far behind is it?",
                ReplicationFacts.class, PARAMETERS, ReplicationCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        MysqlSession.validate(target);
    }

    @Override
    public ReplicationFacts collect(CheckContext context) throws Exception {
        Target target = context.target();
        try (ClientPool.Lease<Connection> lease = MysqlSession.lease(context)) {
            Connection c = lease.client();
            return MysqlSession.translating(lease, target, () -> {
                String version = MysqlSession.scalar(c, "SELECT VERSION()");
                ServerDialect dialect = ServerDialect.of(version == null ? "" : version);
                List<Map<String, String>> channels = MysqlSession.rows(c, dialect.statusStatement());
                Map<String, String> variables = MysqlSession.variables(c, VARIABLES);
                return new ReplicationFacts(version, dialect.statusStatement(), channels, variables);
            });
        }
    }

    @Override
    public void evaluate(ReplicationFacts facts, Parameters p, Evaluation.Builder out) {
        if (facts.channels().isEmpty()) {
            boolean expected = p.bool("expect-replica");
            out.finding(NOT_A_REPLICA, expected ? Severity.CRITICAL : Severity.INFO,
                    facts.statusStatement() + " returned no row: this server has no replication configured"
                            + (expected ? " (if this is the source, point the check at a replica; if it is a replica, "
                                    + "its replication was reset and its data is frozen)" : ""),
                    Evidence.of("statement", facts.statusStatement(), "rows", 0, "version", facts.serverVersion()));
            return;
        }
        boolean multi = facts.channels().size() > 1;
        for (Map<String, String> raw : facts.channels()) {
            ReplicaStatusRow row = new ReplicaStatusRow(raw);
            String subject = multi || !row.channel().isEmpty() ? channelName(row) : null;
            new ChannelEvaluation(row, subject, p, out, facts).run();
        }
        replicaWritable(facts, out);
    }

    private static String channelName(ReplicaStatusRow row) {
        return row.channel().isEmpty() ? "(default)" : row.channel();
    }

    private static void replicaWritable(ReplicationFacts facts, Evaluation.Builder out) {
        String readOnly = facts.variables().get("read_only");
        String superReadOnly = facts.variables().get("super_read_only");
        if ("OFF".equalsIgnoreCase(readOnly)) {
            out.finding(REPLICA_WRITABLE, Severity.WARNING,
                    "read_only is OFF on a replica: any client with write privileges can change data here, which "
                            + "breaks replication later (duplicate key / row not found)",
                    Evidence.of("read_only", readOnly).putIfPresent("super_read_only", superReadOnly));
        } else if ("OFF".equalsIgnoreCase(superReadOnly)) {
            out.finding(REPLICA_WRITABLE, Severity.INFO,
                    "read_only is ON but super_read_only is OFF: accounts with SUPER or CONNECTION_ADMIN can still write",
                    Evidence.of("read_only", readOnly, "super_read_only", superReadOnly));
        }
    }

    /** The rules for one replication channel. */
    private static final class ChannelEvaluation {
        private final ReplicaStatusRow row;
        private final String subject;
        private final Parameters p;
        private final Evaluation.Builder out;
        private final ReplicationFacts facts;
        private final Map<String, String> labels;

        ChannelEvaluation(ReplicaStatusRow row, String subject, Parameters p, Evaluation.Builder out, ReplicationFacts facts) {
            this.row = row;
            this.subject = subject;
            this.p = p;
            this.out = out;
            this.facts = facts;
            this.labels = subject == null ? Map.of() : Map.of("channel", subject);
        }

        void run() {
            ioThread();
            sqlThread();
            Long effectiveLag = lag();
            applyBacklog(effectiveLag);
            delay();
            gtid();
        }

        private void ioThread() {
            String state = row.ioRunning();
            long errno = row.lastIoErrno();
            Evidence e = Evidence.of(row.ioRunningColumn(), state, "Last_IO_Errno", errno)
                    .putIfPresent("Last_IO_Error", row.lastIoError())
                    .put("source", row.sourceHost());
            if ("Connecting".equalsIgnoreCase(state)) {
                out.finding(IO_THREAD_CONNECTING, errno != 0 ? Severity.CRITICAL : Severity.WARNING,
                        errno != 0 ? "the I/O thread cannot connect to the source " + row.sourceHost() + ": error " + errno
                                + ", " + MysqlErrors.ioCause(errno)
                                : "the I/O thread is (re)connecting to the source " + row.sourceHost() + " and has not succeeded yet",
                        e, subject);
            } else if (!"Yes".equalsIgnoreCase(state)) {
                out.finding(IO_THREAD_STOPPED, Severity.CRITICAL,
                        "the I/O thread is not running" + (errno != 0 ? ": it stopped on error " + errno + ", "
                                + MysqlErrors.ioCause(errno) : " (stopped by an operator: no error is recorded)")
                                + "; no new changes arrive from the source",
                        e, subject);
            }
        }

        private void sqlThread() {
            String state = row.sqlRunning();
            long errno = row.lastSqlErrno();
            boolean running = "Yes".equalsIgnoreCase(state);
            if (errno != 0) {
                String why = MysqlErrors.sqlCause(errno);
                String divergence = MysqlErrors.isDivergence(errno)
                        ? "; the replica's data differs from the source's, most often because something wrote directly on the replica"
                        : "";
                out.finding(SQL_ERROR, running ? Severity.WARNING : Severity.CRITICAL,
                        (running ? "the SQL thread runs, but recorded error " : "the SQL thread stopped on error ")
                                + errno + " (" + why + ")" + divergence,
                        Evidence.of(row.sqlRunningColumn(), state, "Last_SQL_Errno", errno)
                                .putIfPresent("Last_SQL_Error", row.lastSqlError()),
                        subject);
            } else if (!running) {
                out.finding(SQL_THREAD_STOPPED, Severity.CRITICAL,
                        "the SQL thread is not running and no error is recorded: it was stopped by hand; received "
                                + "changes pile up in the relay log and are not applied",
                        Evidence.of(row.sqlRunningColumn(), state, "Last_SQL_Errno", errno), subject);
            }
        }

        /** @return lag beyond the configured delay, or null when the server reports NULL */
        private Long lag() {
            Long behind = row.secondsBehind();
            if (behind == null) {
                out.finding(LAG_UNKNOWN, Severity.WARNING,
                        row.secondsBehindColumn() + " is NULL: the server cannot measure lag because a replication "
                                + "thread is not running or not connected; treat the replica as stale, not as caught up",
                        Evidence.of(row.secondsBehindColumn(), null, row.ioRunningColumn(), row.ioRunning(),
                                row.sqlRunningColumn(), row.sqlRunning()),
                        subject);
                return null;
            }
            long delay = row.sqlDelay();
            long effective = Math.max(0, behind - delay);
            long warn = p.duration("lag-warning").toSeconds();
            long crit = p.duration("lag-critical").toSeconds();
            out.metric(new Metric("lag_seconds", effective, "s", labels, (double) warn, (double) crit));
            Evidence e = Evidence.of(row.secondsBehindColumn(), behind);
            if (delay > 0) {
                e.put("SQL_Delay", delay).put("lag_beyond_delay", effective);
            }
            if (effective >= crit) {
                out.finding(LAG_CRITICAL, Severity.CRITICAL, "the replica is " + effective + "s behind the source"
                        + (delay > 0 ? " beyond its intended delay of " + delay + "s" : "") + " (critical at " + crit + "s)",
                        e.put("lag-critical", p.raw().get("lag-critical")), subject);
            } else if (effective >= warn) {
                out.finding(LAG_WARNING, Severity.WARNING, "the replica is " + effective + "s behind the source"
                        + (delay > 0 ? " beyond its intended delay of " + delay + "s" : "") + " (warning at " + warn + "s)",
                        e.put("lag-warning", p.raw().get("lag-warning")), subject);
            }
            return effective;
        }

        /** The notes' "are the two positions equal" test, on the right columns: received by I/O versus applied by SQL. */
        private void applyBacklog(Long effectiveLag) {
            String readFile = row.readFile();
            String execFile = row.execFile();
            Long readPos = row.readPos();
            Long execPos = row.execPos();
            if (readFile == null || readFile.isEmpty() || execFile == null || readPos == null || execPos == null) {
                return;
            }
            if (readFile.equals(execFile)) {
                out.metric(new Metric("relay_read_position", readPos, "B", labels, null, null));
                out.metric(new Metric("relay_exec_position", execPos, "B", labels, null, null));
            }
            boolean sameFile = readFile.equals(execFile);
            if (sameFile && readPos <= execPos) {
                return;
            }
            Evidence e = Evidence.of(row.readFileColumn(), readFile, row.readPosColumn(), readPos,
                    row.execFileColumn(), execFile, row.execPosColumn(), execPos);
            String gap;
            if (sameFile) {
                long bytes = readPos - execPos;
                e.put("unapplied_bytes", bytes);
                out.metric(new Metric("relay_unapplied_bytes", bytes, "B", labels, null, null));
                gap = bytes + " bytes";
            } else {
                gap = "binlog " + readFile + " versus " + execFile;
            }
            long warn = p.duration("lag-warning").toSeconds();
            boolean lagging = effectiveLag != null && effectiveLag >= warn;
            String reason;
            if (!"Yes".equalsIgnoreCase(row.sqlRunning())) {
                reason = "because the SQL thread is not running";
            } else if (row.sqlDelay() > 0) {
                reason = "which a delayed replica holds back on purpose";
            } else if (lagging) {
                reason = "so the applier, not the network or the source, is why this replica lags";
            } else {
                reason = "normal for a moment under write load; it matters if it persists";
            }
            out.finding(RELAY_APPLY_BEHIND, lagging ? Severity.WARNING : Severity.INFO,
                    "the I/O thread has received " + gap + " more than the SQL thread has applied, " + reason,
                    e, subject);
        }

        private void delay() {
            long delay = row.sqlDelay();
            if (delay > 0) {
                out.finding(DELAYED_REPLICA, Severity.INFO, "the replica applies changes " + delay
                        + "s late on purpose (SQL_Delay); lag thresholds apply only beyond that delay",
                        Evidence.of("SQL_Delay", delay).putIfPresent("SQL_Remaining_Delay", row.sqlRemainingDelay()),
                        subject);
            }
        }

        private void gtid() {
            String usingGtid = row.usingGtid();
            String autoPosition = row.autoPosition();
            if (usingGtid != null && "No".equalsIgnoreCase(usingGtid)) {
                out.finding(NO_GTID, Severity.INFO, "replication uses binlog file and position, not GTID "
                        + "(Using_Gtid=No): re-pointing this replica after a failover needs position arithmetic",
                        Evidence.of("Using_Gtid", usingGtid), subject);
            } else if (usingGtid == null && "0".equals(autoPosition)) {
                out.finding(NO_GTID, Severity.INFO, "replication uses binlog file and position, not GTID "
                        + "auto-positioning (Auto_Position=0): re-pointing after a failover needs position arithmetic",
                        Evidence.of("Auto_Position", autoPosition).putIfPresent("gtid_mode", facts.variables().get("gtid_mode")),
                        subject);
            }
        }
    }
}
