package io.opsdoc.checks.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * zookeeper-health and zookeeper-quorum on answers in ZooKeeper 3.8.0's exact format (tab-separated mntr, srvr
 * lines), for what the lab cannot hold steadily: a member whose requests queue and whose latency is high (a stalled
 * fsync under load), and an ensemble of four voters.
 */
class ZookeeperHealthRecordedFactsTest {
    private static final String SRVR_LEADER = """
            Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
            Latency min/avg/max: 0/412.7/9120
            Received: 918233
            Sent: 917801
            Connections: 212
            Outstanding: 431
            Zxid: 0x50002c4a1
            Mode: leader
            Node count: 48211
            Proposal sizes last/min/max: 92/48/1201
            """;

    /** The head of a 3.8.0 leader's mntr, as it prints it; values of a member behind a stalled disk. */
    private static String mntr(String state, String avgLatency, String maxLatency, String outstanding, String quorumSize) {
        return "zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n"
                + "zk_server_state\t" + state + "\n"
                + "zk_peer_state\t" + (state.equals("leader") ? "leading" : "following") + " - broadcast\n"
                + "zk_ephemerals_count\t1204\n"
                + "zk_num_alive_connections\t212\n"
                + "zk_avg_latency\t" + avgLatency + "\n"
                + "zk_outstanding_requests\t" + outstanding + "\n"
                + "zk_znode_count\t48211\n"
                + "zk_global_sessions\t207\n"
                + "zk_packets_sent\t917801\n"
                + "zk_packets_received\t918233\n"
                + "zk_watch_count\t9931\n"
                + "zk_min_latency\t0\n"
                + "zk_max_file_descriptor_count\t65536\n"
                + "zk_approximate_data_size\t7340032\n"
                + "zk_open_file_descriptor_count\t262\n"
                + "zk_pending_syncs\t0\n"
                + "zk_max_latency\t" + maxLatency + "\n"
                + "zk_quorum_size\t" + quorumSize + "\n";
    }

    private static Evaluation evaluate(Check<EnsembleFacts> check, EnsembleFacts facts) {
        return Evaluation.of(check, "zk://zk1:2181", facts, Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    private static List<Finding> findings(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void aStalledMemberQueuesRequestsAndAnswersSlowly() {
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", SRVR_LEADER, mntr("leader", "412.7", "9120", "431", "3"), null, null)));
        Evaluation e = evaluate(new ZookeeperHealth(), facts);
        Finding latency = findings(e, "LATENCY_HIGH").get(0);
        assertThat(latency.severity()).isEqualTo(Severity.WARNING);
        assertThat(latency.summary()).contains("412.7 ms on average", "max 9120 ms", "since it started");
        assertThat(latency.evidence()).containsEntry("zk_avg_latency", "412.7").containsEntry("zk_max_latency", "9120");
        Finding queue = findings(e, "REQUESTS_QUEUEING").get(0);
        assertThat(queue.severity()).isEqualTo(Severity.WARNING);
        assertThat(queue.evidence()).containsEntry("zk_outstanding_requests", 431L)
                .containsEntry("zk_num_alive_connections", 212L);
        assertThat(findings(e, "FD_NEAR_LIMIT")).isEmpty();
        assertThat(e.metrics()).anyMatch(m -> m.name().equals("zookeeper_pending_syncs") && m.value() == 0);
    }

    @Test
    void aQuietMemberIsBelowEveryThreshold() {
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", SRVR_LEADER, mntr("follower", "0.4", "31", "0", "3"), null, null)));
        Evaluation e = evaluate(new ZookeeperHealth(), facts);
        assertThat(e.findings()).isEmpty();
        assertThat(e.status()).isEqualTo(Severity.OK);
    }

    @Test
    void thresholdsAreParameters() {
        ZookeeperHealth check = new ZookeeperHealth();
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", SRVR_LEADER, mntr("leader", "412.7", "9120", "431", "3"), null, null)));
        Evaluation e = Evaluation.of(check, "zk://zk1:2181", facts, Parameters.resolve(check.id(), check.parameters(),
                Map.of("latency-warning", "1s", "outstanding-warning", "1000")));
        assertThat(e.findings()).isEmpty();
    }

    @Test
    void fourVotersTolerateOneFailureLikeThree() {
        String srvr = SRVR_LEADER;
        String follower = srvr.replace("Mode: leader", "Mode: follower");
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", srvr, mntr("leader", "0.4", "31", "0", "4"), null, null),
                new MemberReply("zk2:2181", follower, mntr("follower", "0.4", "31", "0", "4"), null, null),
                new MemberReply("zk3:2181", follower, mntr("follower", "0.4", "31", "0", "4"), null, null),
                new MemberReply("zk4:2181", follower, mntr("follower", "0.4", "31", "0", "4"), null, null)));
        Evaluation e = evaluate(new ZookeeperQuorum(), facts);
        Finding size = findings(e, "ENSEMBLE_SIZE_RISKY").get(0);
        assertThat(size.severity()).isEqualTo(Severity.INFO);
        assertThat(size.summary()).contains("an ensemble of 4 voters", "tolerates 1 down");
        assertThat(e.status()).isEqualTo(Severity.INFO);
    }

    @Test
    void membersThatWillNotTellTheirModeAreNotALostQuorum() {
        String denied = "srvr is not executed because it is not in the whitelist.\n";
        String mntrDenied = "mntr is not executed because it is not in the whitelist.\n";
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", denied, mntrDenied, null, null),
                new MemberReply("zk2:2181", denied, mntrDenied, null, null),
                new MemberReply("zk3:2181", null, null, "UNREACHABLE", "connection refused by zk3:2181")));
        Evaluation e = evaluate(new ZookeeperQuorum(), facts);
        assertThat(findings(e, "QUORUM_LOST")).isEmpty();
        assertThat(findings(e, "PERMISSION_DENIED").get(0).severity()).isEqualTo(Severity.UNKNOWN);
        assertThat(findings(e, "FOUR_LETTER_WORDS_NOT_ALLOWED")).hasSize(2);
    }

    @Test
    void onlyMntrAllowedStillGivesTheMode() {
        String denied = "srvr is not executed because it is not in the whitelist.\n";
        EnsembleFacts facts = new EnsembleFacts(List.of(
                new MemberReply("zk1:2181", denied, mntr("leader", "0.4", "31", "0", "3"), null, null),
                new MemberReply("zk2:2181", denied, mntr("follower", "0.4", "31", "0", "3"), null, null),
                new MemberReply("zk3:2181", denied, mntr("follower", "0.4", "31", "0", "3"), null, null)));
        Evaluation e = evaluate(new ZookeeperQuorum(), facts);
        assertThat(e.status()).isEqualTo(Severity.INFO);
        assertThat(findings(e, "FOUR_LETTER_WORDS_NOT_ALLOWED").get(0).summary()).contains("read from mntr");
    }
}
