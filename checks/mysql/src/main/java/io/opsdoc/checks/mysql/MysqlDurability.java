package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.DurabilityCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;

/**
 * Would a crash lose committed transactions? innodb_flush_log_at_trx_commit and sync_binlog decide when the redo log
 * and the binlog reach the disk. On a source anything but 1/1 is a WARNING (the notes' 2/0 "for speed" trades away
 * up to about a second of commits on an OS crash and lets the binlog and InnoDB disagree afterwards); on a replica
 * that can be rebuilt from its source it is INFO. MariaDB ships sync_binlog=0 as its default: the check judges the
 * value, not whether it is the default, and says so.
 */
public final class MysqlDurability extends MysqlServerCheck {
    public static final String ID = "mysql-durability";
    static final String NOTE = "mysql/durability";

    private static final Reads READS = new Reads(List.of("innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin"),
            List.of(), false, true);

    public MysqlDurability() {
        super(ID, "Would a crash of this MySQL/MariaDB server lose committed transactions (flush and sync settings)?",
                List.of(role()), DurabilityCode.class, MysqlGrants.replicaStatus(), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        boolean replica = judgedAsReplica(facts, p);
        String roleWord = replica ? "replica" : "source";
        String flush = facts.variable("innodb_flush_log_at_trx_commit");
        String sync = facts.variable("sync_binlog");
        String logBin = facts.variable("log_bin");
        String onReplica = "; acceptable on a replica that can be rebuilt from its source, but set 1 before promoting it";
        if (flush != null && !"1".equals(flush.trim())) {
            String loss = "0".equals(flush.trim())
                    ? "the redo log is written and flushed about once a second, so even a crash of mysqld alone loses up "
                            + "to ~1 s of committed transactions"
                    : "the redo log is written at commit but flushed to disk only about once a second, so an OS crash or "
                            + "power loss loses up to ~1 s of committed transactions (a crash of mysqld alone does not)";
            out.finding(REDO_FLUSH_NOT_DURABLE, replica ? Severity.INFO : Severity.WARNING,
                    "innodb_flush_log_at_trx_commit=" + flush + " on a " + roleWord + ": " + loss + (replica ? onReplica : ""),
                    Evidence.of("innodb_flush_log_at_trx_commit", flush, "role", roleWord));
        }
        if (MysqlFacts.on(logBin) && sync != null && !"1".equals(sync.trim())) {
            String how = "0".equals(sync.trim())
                    ? "the binlog is flushed whenever the OS decides" + (facts.serverVersion() != null
                            && facts.serverVersion().toLowerCase().contains("mariadb") ? " (MariaDB's default)" : "")
                    : "the binlog is flushed only every " + sync.trim() + " commit groups";
            out.finding(BINLOG_SYNC_NOT_DURABLE, replica ? Severity.INFO : Severity.WARNING,
                    "sync_binlog=" + sync + " on a " + roleWord + ": " + how + "; after an OS crash the binlog can miss "
                            + "transactions InnoDB kept, so replicas and point-in-time recovery diverge from the data"
                            + (replica ? onReplica : ""),
                    Evidence.of("sync_binlog", sync, "log_bin", logBin, "role", roleWord));
        }
    }
}
