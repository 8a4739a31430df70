package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.GaleraCode.SPLIT_VIEW;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mysql-galera's comparison of the node with the peers listed in {@code peers}: members of one Primary component share
 * its cluster state UUID and configuration id (wsrep_cluster_conf_id, bumped at every membership change). Two Primary
 * components at once (different UUID, or same UUID and a different conf_id: a node bootstrapped with
 * --wsrep-new-cluster or pc.bootstrap while the others ran) both accept writes: split brain. A non-Primary peer is a
 * partitioned minority that refuses writes and reports itself (NON_PRIMARY_COMPONENT) when the check runs on it.
 */
final class GaleraViews {
    private GaleraViews() {
    }

    static void evaluate(MysqlFacts facts, Map<String, String> now, Evaluation.Builder out) {
        if (facts.peers() == null || facts.peers().isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> members = new LinkedHashMap<>();
        members.put("this node", now);
        List<String> unreadable = new ArrayList<>();
        for (Map<String, String> peer : facts.peers()) {
            if (peer.containsKey("error_code")) {
                unreadable.add(peer.get("endpoint") + " (" + peer.get("error_code") + ")");
            } else {
                members.put(peer.get("endpoint"), peer);
            }
        }
        // Primary components seen, keyed by state UUID and conf_id, each with the members that report it
        Map<String, List<String>> components = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> m : members.entrySet()) {
            Map<String, String> s = m.getValue();
            if ("Primary".equalsIgnoreCase(s.get("wsrep_cluster_status"))) {
                String key = "uuid " + s.get("wsrep_cluster_state_uuid") + ", conf_id " + s.get("wsrep_cluster_conf_id")
                        + ", size " + s.get("wsrep_cluster_size");
                components.computeIfAbsent(key, k -> new ArrayList<>()).add(m.getKey());
            }
        }
        out.metric(Metric.of("primary_components_seen", components.size(), ""));
        out.metric(Metric.of("peers_unreadable", unreadable.size(), ""));
        if (components.size() < 2) {
            return;
        }
        List<String> described = new ArrayList<>();
        components.forEach((k, v) -> described.add(String.join(" + ", v) + ": " + k));
        boolean sameUuid = members.values().stream()
                .filter(s -> "Primary".equalsIgnoreCase(s.get("wsrep_cluster_status")))
                .map(s -> s.get("wsrep_cluster_state_uuid")).distinct().count() == 1;
        out.finding(SPLIT_VIEW, Severity.CRITICAL, components.size() + " Primary components at once: "
                + String.join("; ", described) + ". Each accepts writes on its own (split brain); "
                + (sameUuid ? "they share the state UUID but not the membership (conf_id): one side was bootstrapped "
                + "(--wsrep-new-cluster or pc.bootstrap=YES) while the other still ran"
                : "their state UUIDs differ: they are separate histories")
                + ". Stop writes to the smaller side now; its writes since the split are not in the other's history",
                Evidence.of("primary_components", described, "members_read", members.size())
                        .putIfPresent("unreadable_peers", unreadable.isEmpty() ? null : unreadable));
    }
}
