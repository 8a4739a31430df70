package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ShowOutput.codes;
import static io.opsdoc.checks.mysql.ShowOutput.evaluate;
import static io.opsdoc.checks.mysql.ShowOutput.finding;
import static io.opsdoc.checks.mysql.ShowOutput.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mysql-galera's window codes on two samples of SHOW GLOBAL STATUS in MariaDB 10.11's exact format, 2 s apart, as the
 * lab's Galera nodes printed them under load. The lab produces both codes from real faults (GaleraScenarios); these
 * cases pin the judgement on variations the lab does not show: a pause requested by another node, a node of an older
 * Galera without wsrep_flow_control_requested, and failures next to BF aborts.
 */
class MysqlGaleraWindowRecordedFactsTest {
    private static final String VARIABLES = """
            | wsrep_on                 | ON    |
            | wsrep_desync             | OFF   |
            """;

    private static String status(long pausedNs, long sent, long recv, long certFailures, long bfAborts) {
        return """
                +------------------------------+----------+
                | Variable_name                | Value    |
                +------------------------------+----------+
                | wsrep_cluster_size           | 3        |
                | wsrep_cluster_status         | Primary  |
                | wsrep_connected              | ON       |
                | wsrep_local_state            | 4        |
                | wsrep_local_state_comment    | Synced   |
                | wsrep_ready                  | ON       |
                | wsrep_local_recv_queue       | 0        |
                | wsrep_local_recv_queue_avg   | 0.012    |
                | wsrep_flow_control_paused    | 0.000341 |
                | wsrep_flow_control_paused_ns | %d |
                | wsrep_flow_control_sent      | %d |
                | wsrep_flow_control_recv      | %d |
                | wsrep_local_cert_failures    | %d |
                | wsrep_local_bf_aborts        | %d |
                +------------------------------+----------+
                """.formatted(pausedNs, sent, recv, certFailures, bfAborts);
    }

    private static MysqlFacts window(String before, String after) {
        return new MysqlFacts("10.11.6-MariaDB-0+deb12u1", table(VARIABLES), table(before), table(after), 2_000L, null,
                List.of());
    }

    @Test
    void pausedForAThirdOfTheWindowByAnotherNodeIsFlowControl() {
        MysqlFacts f = window(status(4_125_000_000L, 0, 212, 0, 0), status(4_861_000_000L, 0, 298, 0, 0));
        Evaluation e = evaluate(new MysqlGalera(), f, Map.of());
        assertThat(codes(e)).containsExactly("FLOW_CONTROL_PAUSED");
        assertThat(finding(e, "FLOW_CONTROL_PAUSED").summary()).contains("37%").contains("this node sent none");
        assertThat(String.valueOf(finding(e, "FLOW_CONTROL_PAUSED").evidence().get("flow_control_paused_ns_delta"))).isEqualTo("736000000");
    }

    @Test
    void aPauseThisNodeRequestsIsNamedEvenWithoutANewRequestInTheWindow() {
        MysqlFacts f = new MysqlFacts("10.11.6-MariaDB-0+deb12u1", table(VARIABLES), table(status(4_125_000_000L, 3, 3, 0, 0)),
                table(status(6_120_000_000L, 3, 3, 0, 0)
                        + "| wsrep_flow_control_requested | true |\n| wsrep_flow_control_active | true |\n"),
                2_000L, null, List.of());
        Evaluation e = evaluate(new MysqlGalera(), f, Map.of());
        assertThat(codes(e)).containsExactly("FLOW_CONTROL_PAUSED");
        assertThat(finding(e, "FLOW_CONTROL_PAUSED").summary()).contains("this node asked for the pause");
    }

    @Test
    void certificationFailuresDuringTheWindowAreConflicts() {
        MysqlFacts f = window(status(0, 0, 0, 41, 3), status(0, 0, 0, 57, 5));
        Evaluation e = evaluate(new MysqlGalera(), f, Map.of());
        assertThat(codes(e)).containsExactly("CERTIFICATION_CONFLICTS");
        assertThat(String.valueOf(finding(e, "CERTIFICATION_CONFLICTS").evidence().get("wsrep_local_cert_failures_delta"))).isEqualTo("16");
    }

    @Test
    void aQuietWindowHasNeither() {
        MysqlFacts f = window(status(4_125_000_000L, 3, 212, 41, 3), status(4_125_000_000L, 3, 212, 41, 3));
        assertThat(codes(evaluate(new MysqlGalera(), f, Map.of()))).isEmpty();
    }
}
