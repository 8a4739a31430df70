package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ShowOutput.codes;
import static io.opsdoc.checks.mysql.ShowOutput.evaluate;
import static io.opsdoc.checks.mysql.ShowOutput.finding;
import static io.opsdoc.checks.mysql.ShowOutput.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mysql-galera's receive-queue and peer judgements on SHOW GLOBAL STATUS in MariaDB 10.11's format. The lab earns
 * DONOR_FALLING_BEHIND, RECV_QUEUE_HIGH and SPLIT_VIEW from real faults (GaleraScenarios); these cases pin the
 * variations it does not show: a donor that is catching up, peers with another state UUID, a non-Primary peer.
 */
class MysqlGaleraViewsRecordedFactsTest {
    private static final String VARIABLES = """
            | wsrep_on                 | ON    |
            | wsrep_desync             | ON    |
            """;
    private static final String UUID = "6a1f2b3c-8d3e-11ef-9c1e-7b0c2f3a4d5e";

    private static String status(String state, String comment, long queue) {
        return """
                +------------------------------+--------------------------------------+
                | Variable_name                | Value                                |
                +------------------------------+--------------------------------------+
                | wsrep_cluster_conf_id        | 7                                    |
                | wsrep_cluster_size           | 3                                    |
                | wsrep_cluster_state_uuid     | %s |
                | wsrep_cluster_status         | Primary                              |
                | wsrep_connected              | ON                                   |
                | wsrep_local_state            | %s                                    |
                | wsrep_local_state_comment    | %s                                   |
                | wsrep_ready                  | ON                                   |
                | wsrep_local_recv_queue       | %d                                   |
                +------------------------------+--------------------------------------+
                """.formatted(UUID, state, comment, queue);
    }

    private static Map<String, String> peer(String endpoint, String status, String uuid, String confId, String size) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("endpoint", endpoint);
        p.put("wsrep_cluster_status", status);
        p.put("wsrep_cluster_state_uuid", uuid);
        p.put("wsrep_cluster_conf_id", confId);
        p.put("wsrep_cluster_size", size);
        return p;
    }

    private static MysqlFacts facts(String before, String after, List<Map<String, String>> peers) {
        return new MysqlFacts("10.11.6-MariaDB-0+deb12u1", table(VARIABLES), table(before), table(after), 2_000L, null,
                List.of(), peers);
    }

    @Test
    void aDesyncedNodeWhoseQueueGrowsIsFallingBehind() {
        Evaluation e = evaluate(new MysqlGalera(), facts(status("2", "Donor/Desynced", 812),
                status("2", "Donor/Desynced", 1240), List.of()), Map.of());
        assertThat(codes(e)).contains("DONOR_FALLING_BEHIND", "NODE_NOT_SYNCED").doesNotContain("RECV_QUEUE_HIGH");
        assertThat(finding(e, "DONOR_FALLING_BEHIND").summary()).contains("grown by 428");
    }

    @Test
    void aDonorWhoseQueueShrinksIsCatchingUpNotFallingBehind() {
        Evaluation e = evaluate(new MysqlGalera(), facts(status("2", "Donor/Desynced", 1240),
                status("2", "Donor/Desynced", 300), List.of()), Map.of());
        assertThat(codes(e)).contains("RECV_QUEUE_HIGH").doesNotContain("DONOR_FALLING_BEHIND");
        assertThat(finding(e, "RECV_QUEUE_HIGH").summary()).contains("catching up");
    }

    @Test
    void peersWithAnotherStateUuidInAPrimaryComponentAreASplitView() {
        Evaluation e = evaluate(new MysqlGalera(), facts(status("4", "Synced", 0), status("4", "Synced", 0),
                List.of(peer("10.0.0.2:3306", "Primary", UUID, "7", "3"),
                        peer("10.0.0.3:3306", "Primary", "0c9d8e7f-8d40-11ef-a0b1-2c3d4e5f6a7b", "1", "1"))),
                Map.of());
        assertThat(codes(e)).containsExactly("SPLIT_VIEW");
        assertThat(finding(e, "SPLIT_VIEW").summary()).contains("separate histories").contains("10.0.0.3:3306");
    }

    @Test
    void aNonPrimaryOrUnreadablePeerIsNoSplitView() {
        Map<String, String> unreadable = new LinkedHashMap<>();
        unreadable.put("endpoint", "10.0.0.3:3306");
        unreadable.put("error_code", "UNREACHABLE");
        unreadable.put("error", "connection refused");
        Evaluation e = evaluate(new MysqlGalera(), facts(status("4", "Synced", 0), status("4", "Synced", 0),
                List.of(peer("10.0.0.2:3306", "non-Primary", UUID, "18446744073709551615", "1"), unreadable)),
                Map.of());
        assertThat(codes(e)).isEmpty();
    }
}
