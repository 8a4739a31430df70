package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.SemisyncCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;

/**
 * Is semi-synchronous replication doing what it promises? Run on the source. When a commit waits longer than
 * rpl_semi_sync_*_timeout for a replica's acknowledgement, the source quietly switches to asynchronous replication
 * (status OFF) and stays there until a replica catches up: commits acknowledged to clients then exist on the source
 * only. MariaDB has semi-sync built in (10.3+, *_master_* names); MySQL 8.0.26+ plugins use *_source_* names, older
 * ones *_master_*: both are read.
 */
public final class MysqlSemisync extends MysqlServerCheck {
    public static final String ID = "mysql-semisync";
    static final String NOTE = "mysql/semisync";

    private static final Reads READS = new Reads(
            List.of("rpl_semi_sync_master_enabled", "rpl_semi_sync_source_enabled", "rpl_semi_sync_master_timeout",
                    "rpl_semi_sync_source_timeout", "rpl_semi_sync_master_wait_point", "rpl_semi_sync_source_wait_point"),
            List.of("Rpl_semi_sync_master_status", "Rpl_semi_sync_source_status", "Rpl_semi_sync_master_clients",
                    "Rpl_semi_sync_source_clients", "Rpl_semi_sync_master_no_tx", "Rpl_semi_sync_source_no_tx",
                    "Rpl_semi_sync_master_yes_tx", "Rpl_semi_sync_source_yes_tx"),
            false, false);

    public MysqlSemisync() {
        super(ID, "Is semi-synchronous replication on this MySQL/MariaDB source acknowledged, or did it fall back to async?",
                List.of(), SemisyncCode.class, MysqlGrants.loginOnly("the semi-sync variables and status"), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        String prefix = facts.variables().containsKey("rpl_semi_sync_source_enabled") ? "rpl_semi_sync_source_"
                : "rpl_semi_sync_master_";
        String statusPrefix = "R" + prefix.substring(1);
        String enabled = facts.variables().get(prefix + "enabled");
        out.metric(Metric.of("semisync_source_enabled", MysqlFacts.on(enabled) ? 1 : 0, ""));
        if (!MysqlFacts.on(enabled)) {
            return;
        }
        String status = facts.status().get(statusPrefix + "status");
        Long clients = MysqlFacts.number(facts.status().get(statusPrefix + "clients"));
        Long noTx = MysqlFacts.number(facts.status().get(statusPrefix + "no_tx"));
        String timeout = facts.variables().get(prefix + "timeout");
        if (clients != null) {
            out.metric(Metric.of("semisync_ack_clients", clients, ""));
        }
        if (status != null && !MysqlFacts.on(status)) {
            out.finding(SEMISYNC_DEGRADED_TO_ASYNC, Severity.CRITICAL, prefix + "enabled is ON but " + statusPrefix
                    + "status is OFF: a commit waited " + timeout + " ms for an acknowledgement, the source fell back "
                    + "to asynchronous replication, and commits now reach clients before any replica has them"
                    + (noTx != null ? " (" + noTx + " commits without acknowledgement so far)" : ""),
                    Evidence.of(prefix + "enabled", enabled, statusPrefix + "status", status)
                            .putIfPresent(statusPrefix + "clients", clients).putIfPresent(statusPrefix + "no_tx", noTx)
                            .putIfPresent(prefix + "timeout", timeout));
        }
        if (clients != null && clients == 0) {
            out.finding(SEMISYNC_NO_ACK_CLIENTS, Severity.WARNING, "no semi-sync replica is connected ("
                    + statusPrefix + "clients=0): the next commit waits " + timeout + " ms and then the source falls "
                    + "back to async; check the replicas' I/O threads and their rpl_semi_sync_*_enabled",
                    Evidence.of(statusPrefix + "clients", clients, prefix + "enabled", enabled)
                            .putIfPresent(statusPrefix + "status", status));
        }
    }
}
