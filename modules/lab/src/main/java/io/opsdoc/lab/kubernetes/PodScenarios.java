package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.kubernetes.ServiceScenarios.on;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.time.Duration;
import java.util.List;

/** The k8s-pod-terminating, k8s-pod-probes, k8s-drain-readiness and k8s-replica-spread scenarios of {@link KubernetesScenarios}. */
final class PodScenarios {
    private static final String TERMINATING = "k8s-pod-terminating";
    private static final String PROBES = "k8s-pod-probes";
    private static final String DRAIN = "k8s-drain-readiness";
    private static final String SPREAD = "k8s-replica-spread";

    private PodScenarios() {
    }

    static List<Scenario<KubernetesLab>> all() {
        return List.of(
                on("terminating-none", "no pod is being deleted", TERMINATING).healthy()
                        .metrics("pods_terminating", "pods_stuck_terminating").build(),
                on("terminating-within-grace", "a web pod was deleted 10 s ago with a 30 s grace period", TERMINATING)
                        .breaks(lab -> lab.pods().terminatingWithinGrace()).healthy()
                        .absent("STUCK_TERMINATING", "FINALIZER_BLOCKING", "NODE_GONE").build(),
                on("terminating-stuck", "a web pod on Ready worker-1 was deleted 20 minutes ago and is still there",
                        TERMINATING)
                        .breaks(lab -> lab.pods().stuckTerminating(Duration.ofMinutes(20)))
                        .expect(code("STUCK_TERMINATING").severity(WARNING).evidence("node", "worker-1")
                                .evidence("grace_period_seconds", 30).evidence("phase", "Running")
                                .says("pod web-7d9f8b6c4d-x2k8p of Deployment shop/web", "Terminating for 19m",
                                        "which is Ready", "journalctl -u kubelet"))
                        .absent("FINALIZER_BLOCKING", "NODE_GONE").build(),
                on("terminating-stuck-set-threshold", "the same pod, with stuck-after set to 30m", TERMINATING)
                        .param("stuck-after", "30m")
                        .breaks(lab -> lab.pods().stuckTerminating(Duration.ofMinutes(20))).healthy().build(),
                on("terminating-finalizer", "a finished Job pod deleted 40 minutes ago keeps the job-tracking finalizer",
                        TERMINATING)
                        .breaks(lab -> lab.pods().finalizerBlocking())
                        .expect(code("FINALIZER_BLOCKING").severity(WARNING)
                                .evidence("finalizers", "batch.kubernetes.io/job-tracking").evidence("phase", "Succeeded")
                                .says("Job shop/nightly-export-29174520", "although its containers finished"))
                        .absent("STUCK_TERMINATING", "NODE_GONE").build(),
                on("terminating-node-lost", "worker-1 lost power 10 minutes ago; the taint manager deleted its pods, "
                        + "which stay Terminating", TERMINATING)
                        .breaks(lab -> lab.pods().terminatingOnLostNode())
                        .expect(code("NODE_GONE").severity(WARNING).evidence("node", "worker-1")
                                .evidence("node_ready", "Unknown")
                                .says("2 pods of Deployment shop/web", "node worker-1 is Ready=Unknown", "risks two copies"))
                        .expect(code("NODE_GONE").says("StatefulSet shop/db"))
                        .absent("STUCK_TERMINATING").build(),

                on("probes-healthy", "web and db have distinct readiness and liveness probes", PROBES).healthy()
                        .metrics("containers", "serving_containers_without_readiness").build(),
                on("probes-missing", "shop/legacy serves on 8080 with no probes at all", PROBES)
                        .breaks(lab -> lab.workloads().noProbes())
                        .expect(code("NO_READINESS_PROBE").severity(WARNING).evidence("ports", "8080")
                                .says("Deployment shop/legacy", "before it can answer"))
                        .expect(code("NO_LIVENESS_PROBE").severity(INFO).says("hangs")).build(),
                on("probes-liveness-is-readiness", "shop/orders checks GET /healthz for both liveness and readiness",
                        PROBES)
                        .breaks(lab -> lab.pods().livenessSameAsReadiness())
                        .expect(code("LIVENESS_SAME_AS_READINESS").severity(WARNING)
                                .evidence("probe", "httpGet HTTP http /healthz every 10s, timeout 1s, failureThreshold 3")
                                .says("Deployment shop/orders", "restarted at the same moment"))
                        .absent("LIVENESS_TOO_AGGRESSIVE", "NO_READINESS_PROBE").build(),
                on("probes-liveness-aggressive", "shop/gateway's liveness probe kills after one missed 1 s answer "
                        + "every 2 s", PROBES)
                        .breaks(lab -> lab.pods().aggressiveLiveness())
                        .expect(code("LIVENESS_TOO_AGGRESSIVE").severity(WARNING).evidence("window_seconds", 2)
                                .evidence("timeoutSeconds", 1).says("restarts it after 2s of failure"))
                        .absent("LIVENESS_SAME_AS_READINESS").build(),
                on("probes-aggressive-set-window", "the same gateway probe with liveness-min-window set to 2s", PROBES)
                        .param("liveness-min-window", "2s").breaks(lab -> lab.pods().aggressiveLiveness()).healthy()
                        .build(),

                on("drain-ready", "worker-2 can be drained: web has replicas elsewhere and its budget allows one "
                        + "disruption", DRAIN).param("node", "worker-2").healthy()
                        .metrics("pods_to_evict", "pdbs_blocking").build(),
                on("drain-single-replica", "worker-1 holds db-0, the only replica of StatefulSet shop/db", DRAIN)
                        .param("node", "worker-1")
                        .expect(code("SINGLE_REPLICA_ON_NODE").severity(WARNING).evidence("workloads", "shop/StatefulSet/db")
                                .says("draining worker-1 takes down StatefulSet shop/db (1 replica)"))
                        .absent("DRAIN_BLOCKED_BY_PDB", "UNMANAGED_POD").build(),
                on("drain-every-node", "no node named: every node is judged, worker-1 for db-0", DRAIN)
                        .expect(code("SINGLE_REPLICA_ON_NODE").severity(WARNING).evidence("node", "worker-1"))
                        .absent("DRAIN_BLOCKED_BY_PDB").build(),
                on("drain-pdb-blocks", "the web budget was set to maxUnavailable 0: no eviction is allowed", DRAIN)
                        .param("node", "worker-2").breaks(lab -> lab.services().pdbAllowsNoDisruption())
                        .expect(code("DRAIN_BLOCKED_BY_PDB").severity(WARNING).evidence("disruptionsAllowed", 0)
                                .evidence("pdbs", "shop/web (3 healthy, 3 required)").says("429 Too Many Requests"))
                        .absent("SINGLE_REPLICA_ON_NODE").build(),
                on("drain-bare-pod", "someone ran kubectl run debug-shell on worker-2 and left it", DRAIN)
                        .param("node", "worker-2").breaks(lab -> lab.pods().barePod())
                        .expect(code("UNMANAGED_POD").severity(WARNING).evidence("pods", "shop/debug-shell")
                                .says("cannot delete Pods that declare no controller")).build(),
                on("drain-emptydir", "shop/thumbnailer keeps its render cache in an emptyDir on each worker", DRAIN)
                        .param("node", "worker-2").breaks(lab -> lab.pods().emptyDir()).healthy()
                        .expect(code("LOCAL_DATA_ON_NODE").severity(INFO).says("render-cache", "--delete-emptydir-data"))
                        .build(),
                on("drain-unknown-node", "the node named does not exist", DRAIN).param("node", "worker-9")
                        .expect(code("PROBE_FAILED").severity(UNKNOWN).says("no node named 'worker-9'", "cp-1, worker-1"))
                        .build(),

                on("spread-healthy", "web's 3 replicas run on worker-1 (eu-west-1a) and worker-2 (eu-west-1b), kept "
                        + "apart by a topology spread constraint on kubernetes.io/hostname", SPREAD)
                        .healthy().absent("NO_ANTI_AFFINITY")
                        .metrics("workloads_judged", "workloads_concentrated", "workloads_without_spread_rules").build(),
                on("spread-no-rules", "shop/api's 2 replicas happen to sit on two workers, but its template has no "
                        + "anti-affinity and no topology spread constraint", SPREAD).onlyOn(KubernetesScenarios.V132)
                        .breaks(lab -> lab.pods().noSpreadRules()).healthy()
                        .expect(code("NO_ANTI_AFFINITY").severity(INFO).evidence("desired", 2).evidence("nodes_now", 2)
                                .says("Deployment shop/api wants 2 replicas", "best effort", "topologySpreadConstraints"))
                        .absent("ALL_REPLICAS_ON_ONE_NODE", "ALL_REPLICAS_IN_ONE_ZONE").build(),
                on("spread-soft-anti-affinity", "shop/api carries a preferred podAntiAffinity on its app label", SPREAD)
                        .onlyOn(KubernetesScenarios.V132).breaks(lab -> lab.pods().softAntiAffinity()).healthy().absent("NO_ANTI_AFFINITY").build(),
                on("spread-one-node", "all 3 replicas of shop/cart ended up on worker-1 after worker-2's drain", SPREAD)
                        .breaks(lab -> lab.pods().allReplicasOnOneNode())
                        .expect(code("ALL_REPLICAS_ON_ONE_NODE").severity(WARNING).evidence("node", "worker-1")
                                .evidence("ready", 3).evidence("spread_rules", "none")
                                .says("all 3 ready replicas of Deployment shop/cart run on node worker-1",
                                        "topologySpreadConstraints"))
                        .expect(code("NO_ANTI_AFFINITY").severity(INFO).evidence("nodes_now", 1))
                        .absent("ALL_REPLICAS_IN_ONE_ZONE").build(),
                on("spread-one-node-min-replicas", "the same, judging only workloads of 4 replicas or more", SPREAD)
                        .param("min-replicas", "4").breaks(lab -> lab.pods().allReplicasOnOneNode()).healthy().build(),
                on("spread-one-zone", "shop/search's 2 replicas run on worker-1 and worker-3, both in eu-west-1a", SPREAD)
                        .breaks(lab -> lab.pods().allReplicasInOneZone()).healthy()
                        .expect(code("ALL_REPLICAS_IN_ONE_ZONE").severity(INFO).evidence("zone", "eu-west-1a")
                                .evidence("cluster_zones", 2).says("Deployment shop/search", "a zone outage"))
                        .absent("ALL_REPLICAS_ON_ONE_NODE").build());
    }
}
