package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ShowOutput.codes;
import static io.opsdoc.checks.mysql.ShowOutput.evaluate;
import static io.opsdoc.checks.mysql.ShowOutput.facts;
import static io.opsdoc.checks.mysql.ShowOutput.finding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the MariaDB lab cannot show: MySQL's names for the same settings (super_read_only, gtid_mode,
 * replica_parallel_workers, rpl_semi_sync_source_*, tx_isolation) and a source without a binlog (log_bin cannot be
 * turned off at runtime). Variables and status are recorded as the mysql client prints SHOW GLOBAL VARIABLES/STATUS.
 */
class MysqlServerChecksRecordedFactsTest {

    private static Map<String, String> mysql84ReplicaRow(String sourceServerId, String autoPosition) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Replica_IO_State", "Waiting for source to send event");
        row.put("Source_Host", "db1");
        row.put("Replica_IO_Running", "Yes");
        row.put("Replica_SQL_Running", "Yes");
        row.put("Last_IO_Errno", "0");
        row.put("Last_IO_Error", "");
        row.put("Source_Server_Id", sourceServerId);
        row.put("Auto_Position", autoPosition);
        row.put("Channel_Name", "");
        return row;
    }

    @Test
    void mysql84SourceWithoutBinlogIsSourceBinlogDisabled() {
        MysqlFacts f = facts("8.4.3", """
                +--------------------------+---------+
                | Variable_name            | Value   |
                +--------------------------+---------+
                | binlog_format            | ROW     |
                | enforce_gtid_consistency | ON      |
                | gtid_mode                | ON      |
                | log_bin                  | OFF     |
                | read_only                | OFF     |
                | server_id                | 1       |
                | super_read_only          | OFF     |
                +--------------------------+---------+
                """, "", List.of());
        Evaluation e = evaluate(new MysqlReplicationConfig(), f, Map.of());
        assertThat(codes(e)).containsExactly("SOURCE_BINLOG_DISABLED");
        assertThat(finding(e, "SOURCE_BINLOG_DISABLED").severity()).isEqualTo(Severity.WARNING);
        assertThat(finding(e, "SOURCE_BINLOG_DISABLED").evidence()).containsEntry("log_bin", "OFF");
    }

    @Test
    void mariadbSourceWithoutBinlogIsSourceBinlogDisabledToo() {
        MysqlFacts f = facts("11.4.5-MariaDB", """
                | binlog_format            | MIXED   |
                | log_bin                  | OFF     |
                | server_id                | 1       |
                """, "", List.of());
        assertThat(codes(evaluate(new MysqlReplicationConfig(), f, Map.of()))).containsExactly("SOURCE_BINLOG_DISABLED");
    }

    @Test
    void mysql84ReplicaSettingsUseMysqlNames() {
        MysqlFacts f = facts("8.4.3", """
                +--------------------------+----------------+
                | Variable_name            | Value          |
                +--------------------------+----------------+
                | binlog_format            | ROW            |
                | enforce_gtid_consistency | ON             |
                | gtid_mode                | ON_PERMISSIVE  |
                | log_bin                  | ON             |
                | read_only                | ON             |
                | replica_parallel_workers | 1              |
                | server_id                | 7              |
                | super_read_only          | OFF            |
                +--------------------------+----------------+
                """, "", List.of(mysql84ReplicaRow("7", "1")));
        Evaluation e = evaluate(new MysqlReplicationConfig(), f, Map.of());
        assertThat(codes(e)).containsExactlyInAnyOrder("DUPLICATE_SERVER_ID", "GTID_DISABLED", "REPLICA_WRITABLE",
                "SINGLE_THREADED_APPLIER");
        assertThat(finding(e, "DUPLICATE_SERVER_ID").evidence()).containsEntry("Source_Server_Id", "7");
        assertThat(finding(e, "REPLICA_WRITABLE").severity()).isEqualTo(Severity.INFO);
        assertThat(finding(e, "REPLICA_WRITABLE").evidence()).containsEntry("super_read_only", "OFF");
        assertThat(finding(e, "GTID_DISABLED").summary()).contains("transitional");
        assertThat(finding(e, "SINGLE_THREADED_APPLIER").evidence()).containsEntry("replica_parallel_workers", 1L);
    }

    @Test
    void healthyMysql84ReplicaHasNoFindings() {
        MysqlFacts f = facts("8.4.3", """
                | gtid_mode                | ON    |
                | log_bin                  | ON    |
                | read_only                | ON    |
                | replica_parallel_workers | 4     |
                | server_id                | 2     |
                | super_read_only          | ON    |
                """, "", List.of(mysql84ReplicaRow("1", "1")));
        assertThat(evaluate(new MysqlReplicationConfig(), f, Map.of()).findings()).isEmpty();
    }

    @Test
    void mysql57ReplicaWithFilePositionAndOldWorkerName() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Slave_IO_Running", "Yes");
        row.put("Slave_SQL_Running", "Yes");
        row.put("Last_IO_Errno", "0");
        row.put("Master_Server_Id", "1");
        row.put("Auto_Position", "0");
        MysqlFacts f = facts("5.7.44-log", """
                | gtid_mode                | ON    |
                | read_only                | ON    |
                | slave_parallel_workers   | 0     |
                | server_id                | 2     |
                | super_read_only          | ON    |
                """, "", List.of(row));
        Evaluation e = evaluate(new MysqlReplicationConfig(), f, Map.of());
        assertThat(codes(e)).containsExactlyInAnyOrder("GTID_DISABLED", "SINGLE_THREADED_APPLIER");
        assertThat(finding(e, "GTID_DISABLED").evidence()).containsEntry("Auto_Position", "0");
        assertThat(finding(e, "SINGLE_THREADED_APPLIER").evidence()).containsKey("slave_parallel_workers");
    }

    @Test
    void mysql84SemisyncSourceNames() {
        String variables = """
                +-------------------------------------------+------------+
                | Variable_name                             | Value      |
                +-------------------------------------------+------------+
                | rpl_semi_sync_source_enabled              | ON         |
                | rpl_semi_sync_source_timeout              | 10000      |
                | rpl_semi_sync_source_wait_point           | AFTER_SYNC |
                +-------------------------------------------+------------+
                """;
        MysqlFacts degraded = facts("8.4.3", variables, """
                +--------------------------------------------+-------+
                | Variable_name                              | Value |
                +--------------------------------------------+-------+
                | Rpl_semi_sync_source_clients               | 0     |
                | Rpl_semi_sync_source_no_tx                 | 12    |
                | Rpl_semi_sync_source_status                | OFF   |
                | Rpl_semi_sync_source_yes_tx                | 3401  |
                +--------------------------------------------+-------+
                """, null);
        Evaluation e = evaluate(new MysqlSemisync(), degraded, Map.of());
        assertThat(codes(e)).containsExactlyInAnyOrder("SEMISYNC_DEGRADED_TO_ASYNC", "SEMISYNC_NO_ACK_CLIENTS");
        assertThat(finding(e, "SEMISYNC_DEGRADED_TO_ASYNC").evidence())
                .containsEntry("Rpl_semi_sync_source_status", "OFF").containsEntry("Rpl_semi_sync_source_no_tx", 12L);
        MysqlFacts healthy = facts("8.4.3", variables, """
                | Rpl_semi_sync_source_clients               | 2     |
                | Rpl_semi_sync_source_status                | ON    |
                """, null);
        assertThat(evaluate(new MysqlSemisync(), healthy, Map.of()).findings()).isEmpty();
    }

    @Test
    void mysqlWithoutTheSemisyncPluginReportsNothing() {
        MysqlFacts f = facts("8.0.36", "", "", null);
        Evaluation e = evaluate(new MysqlSemisync(), f, Map.of());
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics()).anyMatch(m -> m.name().equals("semisync_source_enabled") && m.value() == 0);
    }

    @Test
    void mysql57IsolationIsReadFromTxIsolation() {
        MysqlFacts f = facts("5.7.44", """
                | tx_isolation             | READ-UNCOMMITTED |
                """, "", null);
        Evaluation e = evaluate(new MysqlIsolation(), f, Map.of());
        assertThat(codes(e)).containsExactlyInAnyOrder("DIRTY_READS_POSSIBLE", "NON_DEFAULT_ISOLATION");
        assertThat(finding(e, "DIRTY_READS_POSSIBLE").evidence()).containsEntry("tx_isolation", "READ-UNCOMMITTED");
    }

    @Test
    void mysql80DefaultsAreDurableAndASourceAt2And0WarnsWithoutCallingItTheDefault() {
        String durable = """
                | innodb_flush_log_at_trx_commit | 1 |
                | log_bin                        | ON |
                | sync_binlog                    | 1 |
                """;
        assertThat(evaluate(new MysqlDurability(), facts("8.0.36", durable, "", List.of()), Map.of()).findings()).isEmpty();
        String relaxedSettings = """
                | innodb_flush_log_at_trx_commit | 2 |
                | log_bin                        | ON |
                | sync_binlog                    | 0 |
                """;
        Evaluation relaxed = evaluate(new MysqlDurability(), facts("8.0.36", relaxedSettings, "", List.of()), Map.of());
        assertThat(codes(relaxed)).containsExactlyInAnyOrder("REDO_FLUSH_NOT_DURABLE", "BINLOG_SYNC_NOT_DURABLE");
        assertThat(finding(relaxed, "BINLOG_SYNC_NOT_DURABLE").summary()).doesNotContain("MariaDB");
        assertThat(finding(relaxed, "REDO_FLUSH_NOT_DURABLE").severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void roleParameterOverridesDetection() {
        MysqlFacts f = facts("8.0.36", """
                | innodb_flush_log_at_trx_commit | 0 |
                | log_bin                        | OFF |
                | sync_binlog                    | 0 |
                """, "", List.of());
        Evaluation asReplica = evaluate(new MysqlDurability(), f, Map.of("role", "replica"));
        assertThat(codes(asReplica)).containsExactly("REDO_FLUSH_NOT_DURABLE");
        assertThat(finding(asReplica, "REDO_FLUSH_NOT_DURABLE").severity()).isEqualTo(Severity.INFO);
        assertThat(finding(asReplica, "REDO_FLUSH_NOT_DURABLE").summary()).contains("crash of mysqld alone");
    }

    @Test
    void galeraCheckOnAServerWithoutWsrepIsAProbeErrorNotASilentOk() {
        MysqlFacts plain = facts("8.4.3", """
                | wsrep_on                 | OFF   |
                """, "", null);
        assertThatThrownBy(() -> new MysqlGalera().verify(plain)).isInstanceOf(ProbeException.class)
                .hasMessageContaining("not a Galera node");
        MysqlFacts noWsrepAtAll = facts("11.4.5-MariaDB", "", "", null);
        assertThatThrownBy(() -> new MysqlGalera().verify(noWsrepAtAll)).isInstanceOf(ProbeException.class)
                .satisfies(e -> assertThat(((ProbeException) e).code().code()).isEqualTo("PROBE_FAILED"));
    }

    @Test
    void pxcNodeJoiningIsNotSyncedAndAnEvenClusterSaysSo() {
        MysqlFacts joining = facts("8.0.35-27.1 Percona XtraDB Cluster", """
                | wsrep_on                 | ON    |
                | wsrep_desync             | OFF   |
                """, """
                +----------------------------+---------+
                | Variable_name              | Value   |
                +----------------------------+---------+
                | wsrep_cluster_size         | 4       |
                | wsrep_cluster_status       | Primary |
                | wsrep_connected            | ON      |
                | wsrep_local_state          | 1       |
                | wsrep_local_state_comment  | Joining |
                | wsrep_ready                | ON      |
                +----------------------------+---------+
                """, null);
        Evaluation e = evaluate(new MysqlGalera(), joining, Map.of("expected-size", "5"));
        assertThat(codes(e)).containsExactlyInAnyOrder("NODE_NOT_SYNCED", "CLUSTER_SHRUNK");
        assertThat(finding(e, "NODE_NOT_SYNCED").summary()).contains("still joining");
        assertThat(finding(e, "CLUSTER_SHRUNK").summary()).contains("even size");
    }

    @Test
    void showOutputParsesTheClientTable() {
        assertThat(ShowOutput.table("""
                +---------------+-------+
                | Variable_name | Value |
                +---------------+-------+
                | a             | 1     |
                | b             | NULL  |
                +---------------+-------+
                """)).containsEntry("a", "1").containsEntry("b", null).hasSize(2);
    }
}
