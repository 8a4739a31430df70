package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s-etcd's raft progress (ETCD_RAFT_LAGGING) on etcd 3.4's exact JSON gateway answers: the member list and the
 * three members' {@code POST /v3/maintenance/status} bodies were captured from a 3-member etcd 3.4.23 cluster on
 * loopback (the lab's Debian etcd-server); only the raft indexes were changed to those of a member that trails. A
 * real member cannot be held behind by construction here: a stopped member answers nothing (ETCD_MEMBER_DOWN), and one
 * restarted after missing writes catches up in milliseconds, so any scenario would be a race.
 */
class EtcdHealthRecordedFactsTest {
    private static final String MEMBER_LIST = """
            {"header":{"cluster_id":"7677001576037262591","member_id":"7236638617173681713","raft_term":"2"},\
            "members":[{"ID":"7236638617173681713","name":"a","peerURLs":["http://127.0.0.1:23811"],\
            "clientURLs":["http://127.0.0.1:23792"]},{"ID":"14953263023892234182","name":"c",\
            "peerURLs":["http://127.0.0.1:23813"],"clientURLs":["http://127.0.0.1:23794"]},\
            {"ID":"17146834869241832552","name":"b","peerURLs":["http://127.0.0.1:23812"],\
            "clientURLs":["http://127.0.0.1:23793"]}]}""";

    /** Member a, a follower; %s = raftIndex, %s = raftAppliedIndex. */
    private static final String STATUS_A = """
            {"header":{"cluster_id":"7677001576037262591","member_id":"7236638617173681713","revision":"48211",\
            "raft_term":"2"},"version":"3.4.23","dbSize":"20480","leader":"14953263023892234182","raftIndex":"%s",\
            "raftTerm":"2","raftAppliedIndex":"%s","dbSizeInUse":"16384"}""";
    private static final String STATUS_B = """
            {"header":{"cluster_id":"7677001576037262591","member_id":"17146834869241832552","revision":"48211",\
            "raft_term":"2"},"version":"3.4.23","dbSize":"20480","leader":"14953263023892234182","raftIndex":"61873",\
            "raftTerm":"2","raftAppliedIndex":"61873","dbSizeInUse":"16384"}""";
    /** Member c, the leader. */
    private static final String STATUS_C = """
            {"header":{"cluster_id":"7677001576037262591","member_id":"14953263023892234182","revision":"48211",\
            "raft_term":"2"},"version":"3.4.23","dbSize":"20480","leader":"14953263023892234182","raftIndex":"61873",\
            "raftTerm":"2","raftAppliedIndex":"61873","dbSizeInUse":"16384"}""";

    private final EtcdHealth check = new EtcdHealth();

    private static EtcdFacts facts(long aIndex, long aApplied) throws Exception {
        JsonNode list = Json.mapper().readTree(MEMBER_LIST);
        List<String> statuses = List.of(STATUS_A.formatted(aIndex, aApplied), STATUS_C, STATUS_B);
        List<EtcdFacts.Member> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(EtcdApi.answered(list.path("members").get(i), Json.mapper().readTree(statuses.get(i))));
        }
        return new EtcdFacts("http://127.0.0.1:23792", "7677001576037262591", members, List.of(), null,
                EtcdApi.DEFAULT_QUOTA, "default");
    }

    private Evaluation evaluate(EtcdFacts facts, Map<String, String> params) {
        return Evaluation.of(check, "etcd://127.0.0.1:23792", facts, Parameters.resolve(check.id(), check.parameters(), params));
    }

    @Test
    void parsesTheGatewaysStringEncodedNumbers() throws Exception {
        EtcdFacts f = facts(61870, 61870);
        assertThat(f.members()).extracting(EtcdFacts.Member::name).containsExactly("a", "c", "b");
        assertThat(f.members().get(1).raftIndex()).isEqualTo(61873);
        assertThat(f.members().get(0).leader()).isEqualTo("14953263023892234182");
        assertThat(f.members().get(0).clientUrls()).containsExactly("http://127.0.0.1:23792");
    }

    @Test
    void aFollowerAFewEntriesBehindIsHealthy() throws Exception {
        Evaluation e = evaluate(facts(61870, 61870), Map.of());
        assertThat(e.findings()).isEmpty();
        assertThat(e.metrics()).contains(Metric.of("etcd_raft_max_entries_behind", 3, ""));
    }

    @Test
    void aFollowerFarBehindTheLeaderIsLagging() throws Exception {
        Evaluation e = evaluate(facts(50012, 50012), Map.of());
        assertThat(e.findings()).extracting(Finding::code).containsExactly("ETCD_RAFT_LAGGING");
        Finding f = e.findings().get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("member a is 11861 raft entries behind the leader c",
                "raftIndex 50012 against 61873");
        assertThat(f.evidence()).containsEntry("entries_behind", 11861L).containsEntry("leader", "c");
    }

    @Test
    void theThresholdIsAParameter() throws Exception {
        assertThat(evaluate(facts(50012, 50012), Map.of("raft-lag", "20000")).findings()).isEmpty();
    }

    @Test
    void aMemberApplyingFarBehindItsCommitIndexIsLagging() throws Exception {
        Evaluation e = evaluate(facts(61873, 55001), Map.of());
        assertThat(e.findings()).extracting(Finding::code).containsExactly("ETCD_RAFT_LAGGING");
        assertThat(e.findings().get(0).summary()).contains("applied only up to 55001", "6872 behind", "too many requests");
    }
}
