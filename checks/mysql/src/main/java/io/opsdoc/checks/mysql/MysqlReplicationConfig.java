package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ReplicationConfigCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Is this server configured the way replication needs, whatever it is doing right now? Run on each server of the
 * topology: on a replica it compares its server_id with the source's (the replica status row carries the source's id,
 * so one target suffices), and checks read_only, GTID use and applier threads; on a source it checks that a binlog is
 * written, in row (or mixed) format. MariaDB and MySQL name the same settings differently; both are read.
 */
public final class MysqlReplicationConfig extends MysqlServerCheck {
    public static final String ID = "mysql-replication-config";
    static final String NOTE = "mysql/replication-config";

    private static final Reads READS = new Reads(List.of("server_id", "log_bin", "binlog_format", "gtid_mode",
            "enforce_gtid_consistency", "gtid_strict_mode", "read_only", "super_read_only", "replica_parallel_workers",
            "slave_parallel_workers", "slave_parallel_threads"), List.of(), false, true);

    public MysqlReplicationConfig() {
        super(ID, "Is this MySQL/MariaDB source or replica configured for safe replication (server_id, binlog, GTID, "
                        + "read_only, applier threads)?",
                List.of(role()), ReplicationConfigCode.class, MysqlGrants.replicaStatus(), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        boolean mariadb = facts.serverVersion() != null && facts.serverVersion().toLowerCase(Locale.ROOT).contains("mariadb");
        if (judgedAsReplica(facts, p)) {
            for (Map<String, String> row : facts.replicaChannels()) {
                serverId(facts, new ReplicaStatusRow(row), out);
                gtidOnReplica(facts, new ReplicaStatusRow(row), row, mariadb, out);
            }
            writable(facts, out);
            applier(facts, mariadb, out);
        } else {
            binlog(facts, out);
            if (!mariadb) {
                gtidMode(facts, out, null);
            }
        }
    }

    private static String subject(ReplicaStatusRow row, MysqlFacts facts) {
        return facts.replicaChannels().size() > 1 || !row.channel().isEmpty()
                ? (row.channel().isEmpty() ? "(default)" : row.channel()) : null;
    }

    private static void serverId(MysqlFacts facts, ReplicaStatusRow row, Evaluation.Builder out) {
        String own = facts.variable("server_id");
        String column = row.name("Source_Server_Id", "Master_Server_Id");
        String source = row.value("Source_Server_Id", "Master_Server_Id");
        boolean sameId = own != null && source != null && !"0".equals(source.trim()) && own.trim().equals(source.trim());
        boolean refused = row.lastIoErrno() == 1593;
        if (!sameId && !refused) {
            return;
        }
        out.finding(DUPLICATE_SERVER_ID, Severity.CRITICAL,
                "this replica's server_id=" + own + (sameId ? " equals its source's " + column + "=" + source : "")
                        + (refused ? (sameId ? "; " : ": ") + "the I/O thread stopped with error 1593 (equal server ids)" : "")
                        + ": a server skips events carrying its own id, so replication stops or silently drops changes",
                Evidence.of("server_id", own).putIfPresent(column, source).put("Last_IO_Errno", row.lastIoErrno())
                        .putIfPresent("Last_IO_Error", row.lastIoError()),
                subject(row, facts));
    }

    private static void gtidOnReplica(MysqlFacts facts, ReplicaStatusRow row, Map<String, String> raw, boolean mariadb,
            Evaluation.Builder out) {
        if (mariadb) {
            String using = raw.get("Using_Gtid");
            if (using != null && "No".equalsIgnoreCase(using.trim())) {
                out.finding(GTID_DISABLED, Severity.INFO, "the replica follows its source by binlog file and position "
                        + "(Using_Gtid=No): after a failover it must be re-pointed by hand-computed positions; "
                        + "CHANGE MASTER TO MASTER_USE_GTID=slave_pos avoids that",
                        Evidence.of("Using_Gtid", using).putIfPresent("gtid_strict_mode", facts.variable("gtid_strict_mode")),
                        subject(row, facts));
            }
            return;
        }
        gtidMode(facts, out, subject(row, facts));
        String auto = raw.get("Auto_Position");
        if ("ON".equalsIgnoreCase(facts.variable("gtid_mode")) && "0".equals(auto)) {
            out.finding(GTID_DISABLED, Severity.INFO, "gtid_mode is ON but this channel uses file and position "
                    + "(Auto_Position=0): CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1",
                    Evidence.of("gtid_mode", "ON", "Auto_Position", auto), subject(row, facts));
        }
    }

    /** MySQL only: MariaDB always writes GTIDs and has no gtid_mode. */
    private static void gtidMode(MysqlFacts facts, Evaluation.Builder out, String subject) {
        String mode = facts.variable("gtid_mode");
        if (mode == null || "ON".equalsIgnoreCase(mode.trim())) {
            return;
        }
        boolean transition = mode.toUpperCase(Locale.ROOT).contains("PERMISSIVE");
        out.finding(GTID_DISABLED, Severity.INFO, "gtid_mode=" + mode + (transition
                ? ": a transitional mode, meant only while moving the topology to or from GTID; finish the change"
                : ": transactions carry no GTID, so failover and re-pointing depend on binlog file and position"),
                Evidence.of("gtid_mode", mode).putIfPresent("enforce_gtid_consistency", facts.variable("enforce_gtid_consistency")),
                subject);
    }

    private static void writable(MysqlFacts facts, Evaluation.Builder out) {
        String readOnly = facts.variable("read_only");
        String superReadOnly = facts.variable("super_read_only");
        if (readOnly != null && !MysqlFacts.on(readOnly)) {
            out.finding(REPLICA_WRITABLE, Severity.WARNING, "read_only is OFF on a replica: an application or operator "
                    + "connected here by mistake changes data the source does not have, and replication breaks later",
                    Evidence.of("read_only", readOnly).putIfPresent("super_read_only", superReadOnly));
        } else if (superReadOnly != null && !MysqlFacts.on(superReadOnly)) {
            out.finding(REPLICA_WRITABLE, Severity.INFO, "read_only is ON but super_read_only is OFF: accounts with "
                    + "SUPER or CONNECTION_ADMIN can still write here", Evidence.of("read_only", readOnly,
                    "super_read_only", superReadOnly));
        }
    }

    private static void applier(MysqlFacts facts, boolean mariadb, Evaluation.Builder out) {
        String name = mariadb ? facts.variableName("slave_parallel_threads")
                : facts.variableName("replica_parallel_workers", "slave_parallel_workers");
        Long threads = name == null ? null : MysqlFacts.number(facts.variables().get(name));
        if (threads == null || threads > 1) {
            return;
        }
        out.finding(SINGLE_THREADED_APPLIER, Severity.INFO, name + "=" + threads + ": one thread applies everything "
                + "the source wrote concurrently; when this replica lags with the I/O thread caught up, more applier "
                + "threads are the usual fix", Evidence.of(name, threads));
    }

    private static void binlog(MysqlFacts facts, Evaluation.Builder out) {
        String logBin = facts.variable("log_bin");
        String format = facts.variable("binlog_format");
        if (logBin != null && !MysqlFacts.on(logBin)) {
            out.finding(SOURCE_BINLOG_DISABLED, Severity.WARNING, "log_bin is OFF: this server writes no binary log, "
                    + "so no replica can follow it and there is no point-in-time recovery (enabling it needs a restart)",
                    Evidence.of("log_bin", logBin));
            return;
        }
        if (format != null && "STATEMENT".equalsIgnoreCase(format.trim())) {
            out.finding(BINLOG_FORMAT_STATEMENT, Severity.WARNING, "binlog_format=STATEMENT: replicas re-execute the SQL "
                    + "text, and statements whose result is not deterministic (LIMIT without ORDER BY, UUID(), triggers) "
                    + "leave them with different data; use ROW (or MIXED)",
                    Evidence.of("binlog_format", format, "log_bin", logBin));
        }
    }
}
