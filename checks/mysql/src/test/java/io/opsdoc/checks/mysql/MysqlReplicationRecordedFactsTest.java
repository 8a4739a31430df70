package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.RecordedFacts.codes;
import static io.opsdoc.checks.mysql.RecordedFacts.evaluate;
import static io.opsdoc.checks.mysql.RecordedFacts.finding;
import static io.opsdoc.checks.mysql.RecordedFacts.load;
import static io.opsdoc.checks.mysql.RecordedFacts.with;
import static io.opsdoc.checks.mysql.RecordedFacts.withVariable;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MySQL dialects the lab cannot run (8.4 with Replica_/Source_ columns, 5.7), evaluated on recorded facts.
 * Column names follow MySQL's reference manual for SHOW REPLICA STATUS / SHOW SLAVE STATUS.
 */
class MysqlReplicationRecordedFactsTest {
    private static final ReplicationFacts MYSQL84 = load("mysql-8.4-replica-healthy.json");
    private static final ReplicationFacts MYSQL57 = load("mysql-5.7-slave-io-connecting.json");

    @Test
    void dialectFollowsTheVersion() {
        assertThat(ServerDialect.of("8.4.3")).isEqualTo(ServerDialect.MYSQL_REPLICA);
        assertThat(ServerDialect.of("8.0.22")).isEqualTo(ServerDialect.MYSQL_REPLICA);
        assertThat(ServerDialect.of("8.0.21")).isEqualTo(ServerDialect.MYSQL_SLAVE);
        assertThat(ServerDialect.of("5.7.44-log")).isEqualTo(ServerDialect.MYSQL_SLAVE);
        assertThat(ServerDialect.of("9.1.0")).isEqualTo(ServerDialect.MYSQL_REPLICA);
        assertThat(ServerDialect.of("11.4.5-MariaDB-log")).isEqualTo(ServerDialect.MARIADB);
        assertThat(ServerDialect.of("5.5.5-10.11.6-MariaDB")).isEqualTo(ServerDialect.MARIADB);
    }

    @Test
    void healthyMysql84ReplicaHasNoFindingsAndReportsItsLagAndPositions() {
        Evaluation e = evaluate(MYSQL84, Map.of());
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics()).extracting(Metric::name).contains("lag_seconds", "relay_read_position", "relay_exec_position");
    }

    @Test
    void mysql84ThreadStatesUseReplicaColumnNames() {
        Evaluation io = evaluate(with(MYSQL84, "Replica_IO_Running", "No", "Last_IO_Errno", 13114,
                "Last_IO_Error", "Got fatal error 1236 from source", "Seconds_Behind_Source", null), Map.of());
        assertThat(codes(io)).contains("IO_THREAD_STOPPED", "LAG_UNKNOWN");
        assertThat(finding(io, "IO_THREAD_STOPPED").evidence()).containsEntry("Replica_IO_Running", "No")
                .containsEntry("Last_IO_Errno", 13114L);
        assertThat(finding(io, "IO_THREAD_STOPPED").summary()).contains("purged binlogs");
        assertThat(finding(io, "LAG_UNKNOWN").evidence()).containsKey("Seconds_Behind_Source");

        Evaluation sql = evaluate(with(MYSQL84, "Replica_SQL_Running", "No", "Last_SQL_Errno", 1146,
                "Last_SQL_Error", "Error executing row event: 'Table 'shop.orders' doesn't exist'"), Map.of());
        assertThat(finding(sql, "SQL_ERROR").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding(sql, "SQL_ERROR").summary()).contains("1146", "table does not exist");
        assertThat(codes(sql)).doesNotContain("SQL_THREAD_STOPPED");
    }

    @Test
    void lagThresholdsUseSecondsBehindSourceAndParameters() {
        ReplicationFacts lagging = with(MYSQL84, "Seconds_Behind_Source", 45);
        assertThat(codes(evaluate(lagging, Map.of()))).containsExactly("LAG_WARNING");
        assertThat(codes(evaluate(lagging, Map.of("lag-warning", "60s")))).isEmpty();
        Evaluation crit = evaluate(with(MYSQL84, "Seconds_Behind_Source", 301), Map.of());
        assertThat(codes(crit)).containsExactly("LAG_CRITICAL");
        assertThat(crit.metrics()).filteredOn(m -> m.name().equals("lag_seconds")).singleElement()
                .satisfies(m -> {
                    assertThat(m.value()).isEqualTo(301.0);
                    assertThat(m.warn()).isEqualTo(30.0);
                    assertThat(m.crit()).isEqualTo(300.0);
                });
    }

    @Test
    void intendedDelayIsNotLag() {
        ReplicationFacts delayed = with(MYSQL84, "SQL_Delay", 3600, "Seconds_Behind_Source", 3610, "SQL_Remaining_Delay", 3590);
        Evaluation e = evaluate(delayed, Map.of());
        assertThat(codes(e)).containsExactly("DELAYED_REPLICA");
        assertThat(finding(e, "DELAYED_REPLICA").severity()).isEqualTo(Severity.INFO);
        assertThat(codes(evaluate(with(delayed, "Seconds_Behind_Source", 3700), Map.of()))).contains("LAG_WARNING");
    }

    @Test
    void receivedButNotAppliedComparesIoReadAndSqlExecutedPositions() {
        ReplicationFacts behind = with(MYSQL84, "Read_Source_Log_Pos", 297358, "Seconds_Behind_Source", 120);
        Evaluation e = evaluate(behind, Map.of());
        assertThat(finding(e, "RELAY_APPLY_BEHIND").severity()).isEqualTo(Severity.WARNING);
        assertThat(finding(e, "RELAY_APPLY_BEHIND").evidence()).containsEntry("Read_Source_Log_Pos", 297358L)
                .containsEntry("Exec_Source_Log_Pos", 197358L).containsEntry("unapplied_bytes", 100000L);
        assertThat(finding(e, "RELAY_APPLY_BEHIND").summary()).contains("the applier");

        Evaluation briefly = evaluate(with(MYSQL84, "Read_Source_Log_Pos", 197500), Map.of());
        assertThat(finding(briefly, "RELAY_APPLY_BEHIND").severity()).isEqualTo(Severity.INFO);

        Evaluation otherFile = evaluate(with(MYSQL84, "Source_Log_File", "binlog.000043", "Read_Source_Log_Pos", 4), Map.of());
        assertThat(finding(otherFile, "RELAY_APPLY_BEHIND").summary()).contains("binlog.000043 versus binlog.000042");
    }

    @Test
    void writabilityAndGtidOnMysql() {
        assertThat(finding(evaluate(withVariable(MYSQL84, "read_only", "OFF"), Map.of()), "REPLICA_WRITABLE").severity())
                .isEqualTo(Severity.WARNING);
        assertThat(finding(evaluate(withVariable(MYSQL84, "super_read_only", "OFF"), Map.of()), "REPLICA_WRITABLE").severity())
                .isEqualTo(Severity.INFO);
        assertThat(finding(evaluate(with(MYSQL84, "Auto_Position", 0), Map.of()), "NO_GTID").evidence())
                .containsEntry("Auto_Position", "0");
    }

    @Test
    void mysql57IoThreadConnectingWithWrongPassword() {
        Evaluation e = evaluate(MYSQL57, Map.of());
        assertThat(codes(e)).contains("IO_THREAD_CONNECTING", "LAG_UNKNOWN", "NO_GTID", "REPLICA_WRITABLE");
        assertThat(finding(e, "IO_THREAD_CONNECTING").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding(e, "IO_THREAD_CONNECTING").summary()).contains("1045", "credentials");
        assertThat(finding(e, "IO_THREAD_CONNECTING").evidence()).containsEntry("Slave_IO_Running", "Connecting");
        assertThat(evaluate(with(MYSQL57, "Last_IO_Errno", 0, "Last_IO_Error", ""), Map.of()).findings())
                .filteredOn(f -> f.code().equals("IO_THREAD_CONNECTING")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
    }

    @Test
    void notAReplicaIsCriticalUnlessNotExpected() {
        ReplicationFacts none = new ReplicationFacts("8.4.3", "SHOW REPLICA STATUS", List.of(), Map.of("read_only", "OFF"));
        assertThat(finding(evaluate(none, Map.of()), "NOT_A_REPLICA").severity()).isEqualTo(Severity.CRITICAL);
        Evaluation relaxed = evaluate(none, Map.of("expect-replica", "false"));
        assertThat(finding(relaxed, "NOT_A_REPLICA").severity()).isEqualTo(Severity.INFO);
        assertThat(codes(relaxed)).doesNotContain("REPLICA_WRITABLE");
    }

    @Test
    void multiSourceChannelsAreJudgedEachAndNamed() {
        ReplicationFacts two = with(MYSQL84, "Channel_Name", "orders");
        var second = new java.util.LinkedHashMap<>(MYSQL84.channels().get(0));
        second.put("Channel_Name", "billing");
        second.put("Replica_SQL_Running", "No");
        second.put("Seconds_Behind_Source", null); // what a server reports once the applier stops
        var channels = new java.util.ArrayList<>(two.channels());
        channels.add(second);
        Evaluation e = evaluate(new ReplicationFacts("8.4.3", "SHOW REPLICA STATUS", channels, MYSQL84.variables()), Map.of());
        assertThat(finding(e, "SQL_THREAD_STOPPED").subject()).isEqualTo("billing");
        assertThat(finding(e, "LAG_UNKNOWN").subject()).isEqualTo("billing");
        assertThat(e.metrics()).filteredOn(m -> m.name().equals("lag_seconds")).hasSize(1)
                .allSatisfy(m -> assertThat(m.labels()).containsEntry("channel", "orders"));
    }
}
