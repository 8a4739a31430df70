package io.opsdoc.checks.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.checks.mysql.ReplicationProgress.MysqlGtidSet;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the MariaDB lab cannot show: MySQL 8.0/8.4 executed GTID sets (as SHOW GLOBAL VARIABLES prints them, broken
 * over lines), MySQL 5.7 without GTID (SHOW MASTER STATUS and Exec_Master_Log_Pos), and MySQL's column names
 * (Source_Server_Id, Source_UUID, Replica_SQL_Running).
 */
class MysqlFailoverReadinessRecordedFactsTest {
    private static final String SOURCE_UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String OLD_UUID = "4a6f4c63-0a35-11ef-9b6a-0242ac120002";

    private static Map<String, String> vars(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (String) kv[i + 1]);
        }
        return m;
    }

    private static FailoverFacts.Server mysql80Source(String executed) {
        return new FailoverFacts.Server("db1:3306", "8.0.36", vars("gtid_executed", executed, "gtid_mode", "ON",
                "log_bin", "ON", "log_replica_updates", "ON", "server_id", "1", "server_uuid", SOURCE_UUID),
                null, List.of(), Map.of(), null, null);
    }

    private static FailoverFacts.Server mysql80Replica(String endpoint, String executed, String sqlRunning,
            String updates, String sourceServerId) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Replica_IO_State", "Waiting for source to send event");
        row.put("Source_Host", "db1");
        row.put("Source_Port", "3306");
        row.put("Relay_Source_Log_File", "binlog.000007");
        row.put("Exec_Source_Log_Pos", "9431");
        row.put("Replica_IO_Running", "Yes");
        row.put("Replica_SQL_Running", sqlRunning);
        row.put("Source_Server_Id", sourceServerId);
        row.put("Source_UUID", SOURCE_UUID);
        row.put("Retrieved_Gtid_Set", SOURCE_UUID + ":1-100");
        row.put("Executed_Gtid_Set", executed);
        row.put("Auto_Position", "1");
        row.put("Channel_Name", "");
        return new FailoverFacts.Server(endpoint, "8.0.36", vars("gtid_executed", executed, "gtid_mode", "ON",
                "log_bin", "ON", "log_replica_updates", updates, "server_id", endpoint.substring(2, 3)),
                "SHOW REPLICA STATUS", List.of(row), Map.of(), null, null);
    }

    private static Evaluation evaluate(FailoverFacts facts) {
        MysqlFailoverReadiness check = new MysqlFailoverReadiness();
        return Evaluation.of(check, "mysql://monitor@db1:3306", facts,
                Parameters.resolve(check.id(), check.parameters(), Map.of("replicas", "db2:3306,db3:3306")));
    }

    private static Finding finding(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + e.findings()));
    }

    private static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    @Test
    void mysql80ReplicaWithItsOwnGtidsHasErrantTransactionsAndIsNotTheBestCandidate() {
        String replicaUuid = "7c2ad3b1-e0d4-11ee-8f1d-0242ac120003";
        // the source is read first: db3 already has the source's 101-102, which must not count as errant
        String source = OLD_UUID + ":1-12,\n" + SOURCE_UUID + ":1-100";
        FailoverFacts facts = new FailoverFacts(mysql80Source(source), List.of(
                mysql80Replica("db2:3306", source + ",\n" + replicaUuid + ":1-2", "Yes", "ON", "1"),
                mysql80Replica("db3:3306", OLD_UUID + ":1-12,\n" + SOURCE_UUID + ":1-102", "Yes", "ON", "1")));
        Evaluation e = evaluate(facts);
        Finding diverged = finding(e, "REPLICAS_DIVERGED");
        assertThat(diverged.subject()).isEqualTo("db2:3306");
        assertThat(diverged.evidence()).containsEntry("errant_gtids", replicaUuid + ":1-2")
                .containsEntry("errant_count", 2L).containsEntry("compared", "gtid_executed");
        assertThat(e.findings().stream().filter(f -> f.code().equals("REPLICAS_DIVERGED")).count()).isEqualTo(1);
        assertThat(finding(e, "BEST_CANDIDATE").subject()).isEqualTo("db3:3306");
    }

    @Test
    void mariadbBinlogStateOfTheReplicasOwnServerIdIsErrantTheSourcesOwnNever() {
        ErrantTransactions.Errant errant = ErrantTransactions.mariadb("0-1-212,1-1-7", "0-1-214,0-3-160,1-1-7", "1");
        assertThat(errant.gtids()).isEqualTo("0-3-160");
        // a former source's stream that the current source replicated is known to it
        assertThat(ErrantTransactions.mariadb("0-1-212,0-3-160", "0-1-212,0-3-160", "1").isEmpty()).isTrue();
        // a multi-source replica's second source writes domain 2: brought by another channel, not errant
        assertThat(ErrantTransactions.mariadb("0-1-212", "0-1-212,2-7-90", "1", java.util.Set.of("2")).isEmpty())
                .isTrue();
        assertThat(ErrantTransactions.mysql(SOURCE_UUID + ":1-100," + OLD_UUID + ":1-5",
                SOURCE_UUID + ":1-100," + OLD_UUID + ":1-5", SOURCE_UUID).isEmpty()).isTrue();
    }

    @Test
    void mysql80ReplicaWithStoppedApplierLacksTheLastThreeGtids() {
        // as SHOW GLOBAL VARIABLES prints a set with two UUIDs: one line per UUID
        String full = OLD_UUID + ":1-12,\n" + SOURCE_UUID + ":1-100";
        FailoverFacts facts = new FailoverFacts(mysql80Source(full), List.of(
                mysql80Replica("db2:3306", full, "Yes", "ON", "1"),
                mysql80Replica("db3:3306", OLD_UUID + ":1-12,\n" + SOURCE_UUID + ":1-97", "No", "ON", "1")));
        Evaluation e = evaluate(facts);
        assertThat(codes(e)).containsExactlyInAnyOrder("BEST_CANDIDATE", "REPLICA_MISSING_TRANSACTIONS");
        assertThat(finding(e, "BEST_CANDIDATE").subject()).isEqualTo("db2:3306");
        Finding missing = finding(e, "REPLICA_MISSING_TRANSACTIONS");
        assertThat(missing.severity()).isEqualTo(Severity.WARNING);
        assertThat(missing.evidence()).containsEntry("missing_transactions", 3L)
                .containsEntry("missing_gtids", SOURCE_UUID + ":98-100").containsEntry("Replica_SQL_Running", "No");
        assertThat(missing.summary()).contains("SQL thread is not running");
    }

    @Test
    void mysql80ReplicaWithoutLogReplicaUpdatesIsPassedOverForTheOne() {
        String full = SOURCE_UUID + ":1-100";
        FailoverFacts facts = new FailoverFacts(mysql80Source(full), List.of(
                mysql80Replica("db2:3306", full, "Yes", "OFF", "1"),
                mysql80Replica("db3:3306", SOURCE_UUID + ":1-99", "Yes", "ON", "1")));
        Evaluation e = evaluate(facts);
        assertThat(finding(e, "CANNOT_BECOME_SOURCE").evidence()).containsEntry("log_replica_updates", "OFF");
        assertThat(finding(e, "BEST_CANDIDATE").subject()).isEqualTo("db3:3306");
        assertThat(finding(e, "NO_CAUGHT_UP_CANDIDATE").evidence()).containsEntry("missing_gtids", SOURCE_UUID + ":100");
    }

    @Test
    void mysql84ChainedReplicaFollowsAnotherServer() {
        String full = SOURCE_UUID + ":1-100";
        FailoverFacts facts = new FailoverFacts(mysql80Source(full), List.of(
                mysql80Replica("db2:3306", full, "Yes", "ON", "1"),
                mysql80Replica("db3:3306", full, "Yes", "ON", "2")));
        Evaluation e = evaluate(facts);
        assertThat(codes(e)).containsExactlyInAnyOrder("BEST_CANDIDATE", "NOT_REPLICATING_FROM_SOURCE");
        assertThat(finding(e, "NOT_REPLICATING_FROM_SOURCE").subject()).isEqualTo("db3:3306");
    }

    @Test
    void mysql57WithoutGtidComparesExecutedBinlogPositions() {
        FailoverFacts.Server source = new FailoverFacts.Server("db1:3306", "5.7.44-log", vars("gtid_mode", "OFF",
                "log_bin", "ON", "log_slave_updates", "OFF", "server_id", "1", "server_uuid", SOURCE_UUID),
                null, List.of(), vars("File", "mysql-bin.000003", "Position", "1542", "Binlog_Do_DB", "",
                        "Binlog_Ignore_DB", "", "Executed_Gtid_Set", ""), null, null);
        FailoverFacts facts = new FailoverFacts(source, List.of(mysql57Replica("db2:3306", "1542"),
                mysql57Replica("db3:3306", "1200")));
        Evaluation e = evaluate(facts);
        assertThat(codes(e)).containsExactlyInAnyOrder("BEST_CANDIDATE", "REPLICA_MISSING_TRANSACTIONS");
        assertThat(finding(e, "REPLICA_MISSING_TRANSACTIONS").evidence())
                .containsEntry("missing_gtids", "binlog from mysql-bin.000003:1200 to mysql-bin.000003:1542 (342 bytes)")
                .containsEntry("Slave_SQL_Running", "Yes");
    }

    private static FailoverFacts.Server mysql57Replica(String endpoint, String execPos) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Slave_IO_State", "Waiting for master to send event");
        row.put("Master_Host", "db1");
        row.put("Master_Port", "3306");
        row.put("Master_Log_File", "mysql-bin.000003");
        row.put("Read_Master_Log_Pos", "1542");
        row.put("Relay_Master_Log_File", "mysql-bin.000003");
        row.put("Exec_Master_Log_Pos", execPos);
        row.put("Slave_IO_Running", "Yes");
        row.put("Slave_SQL_Running", "Yes");
        row.put("Master_Server_Id", "1");
        row.put("Master_UUID", SOURCE_UUID);
        row.put("Retrieved_Gtid_Set", "");
        row.put("Executed_Gtid_Set", "");
        row.put("Auto_Position", "0");
        return new FailoverFacts.Server(endpoint, "5.7.44-log", vars("gtid_mode", "OFF", "log_bin", "ON",
                "log_slave_updates", "ON", "server_id", "2"), "SHOW SLAVE STATUS", List.of(row), Map.of(), null, null);
    }

    @Test
    void gtidSetsParseTagsAndLinesAndSubtract() {
        MysqlGtidSet have = MysqlGtidSet.parse(SOURCE_UUID.toUpperCase() + ":1-5:7-9,\n" + SOURCE_UUID + ":batch:1-3");
        MysqlGtidSet want = MysqlGtidSet.parse(SOURCE_UUID + ":1-10," + SOURCE_UUID + ":batch:1-4");
        ReplicationProgress.Gap gap = have.missingFrom(want);
        assertThat(gap.transactions()).isEqualTo(3);
        assertThat(gap.missing()).isEqualTo(SOURCE_UUID + ":6:10," + SOURCE_UUID + ":batch:4");
        assertThat(want.missingFrom(have.union(want)).isEmpty()).isTrue();
        assertThat(FailoverProbe.binlogStatusStatement("8.4.3")).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(FailoverProbe.binlogStatusStatement("5.7.44-log")).isEqualTo("SHOW MASTER STATUS");
    }

    @Test
    void mariadbPositionsCompareByDomainSequence() {
        ReplicationProgress source = ReplicationProgress.MariadbGtidPos.parse("0-1-1057,1-3-20");
        ReplicationProgress replica = ReplicationProgress.MariadbGtidPos.parse("0-1-1054,1-3-20");
        ReplicationProgress.Gap gap = replica.missingFrom(source);
        assertThat(gap.transactions()).isEqualTo(3);
        assertThat(gap.missing()).isEqualTo("domain 0 seq_no 1055-1057 (up to 0-1-1057)");
        assertThat(source.missingFrom(replica).isEmpty()).isTrue();
        // a domain the replica never saw counts from seq_no 1; garbage is ignored rather than thrown
        assertThat(ReplicationProgress.MariadbGtidPos.parse("0-1-1057,junk").missingFrom(
                ReplicationProgress.MariadbGtidPos.parse("0-1-1057,2-5-4")).transactions()).isEqualTo(4);
    }
}
