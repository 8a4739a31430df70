package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * k8s-node-notready, k8s-workloads and k8s-capacity (and, from {@link ServiceScenarios} and
 * {@link PodScenarios}, the Service, HPA, pod-lifecycle and drain checks) against the mock API server holding a three-node cluster, each
 * fault written as the kubelet and the controllers leave it. Two variants: v1.32 (grace period 50 s) and v1.31
 * (40 s); a scenario whose expectation depends on the version names the variant it holds on.
 *
 * <p>The API server's health endpoints and certificate are another lab: {@link ControlPlaneScenarios}.
 */
public final class KubernetesScenarios implements ScenarioSet<KubernetesLab> {
    static final String V132 = "1.32";
    static final String V131 = "1.31";
    private static final String NODES = "k8s-node-notready";
    private static final String WORKLOADS = "k8s-workloads";
    private static final String CAPACITY = "k8s-capacity";
    private static final String[] EVERY_NODE_CODE = {"NODE_UNKNOWN", "NODE_NOT_READY", "LEASE_STALE",
        "EVICTION_SCHEDULED", "PODS_EVICTING", "NODE_PRESSURE", "NETWORK_UNAVAILABLE", "NODE_CORDONED",
        "KUBELET_VERSION_SKEW", "READY_FLAPPING", "KUBELET_INACTIVE"};

    @Override
    public String system() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "a Kubernetes API server stand-in (Fabric8 mock, " + KubernetesLab.DEFAULT_VERSION + ") with 3 nodes and "
                + "a few workloads";
    }

    @Override
    public List<LabVariant<KubernetesLab>> variants() {
        return List.of(version(V132, "v1.32.2"), version(V131, "v1.31.4"));
    }

    private static LabVariant<KubernetesLab> version(String name, String gitVersion) {
        // v1.32 also runs k8s-kube-proxy's node scenarios in a network namespace with iptables rules
        return new LabVariant<>(name, name.equals(V132) ? io.opsdoc.lab.host.LabNetns::unavailable : () -> null,
                () -> KubernetesLab.start(gitVersion),
                () -> KubernetesLab.shared(gitVersion));
    }

    @Override
    public List<Scenario<KubernetesLab>> scenarios() {
        List<Scenario<KubernetesLab>> all = new ArrayList<>(core());
        all.addAll(ServiceScenarios.all());
        all.addAll(PodScenarios.all());
        all.addAll(ReleaseScenarios.all());
        all.addAll(NetworkScenarios.all());
        all.addAll(NodeHistoryScenarios.all());
        return all;
    }

    private static List<Scenario<KubernetesLab>> core() {
        return List.of(
                nodes("cluster-healthy", "3 nodes Ready, Leases renewed seconds ago").healthy()
                        .metrics("nodes", "nodes_not_ready").build(),
                nodes("node-unreachable", "worker-1 lost power 2 minutes ago: Lease not renewed, Ready=Unknown, "
                        + "unreachable taint").onlyOn(V132)
                        .breaks(lab -> lab.nodes().unreachable("worker-1", Duration.ofMinutes(2)))
                        .expect(code("NODE_UNKNOWN").severity(CRITICAL).evidence("Ready", "Unknown")
                                .evidence("reason", "NodeStatusUnknown").evidence("grace_period", "50s")
                                .evidence("rule", "grace period 50s (default from Kubernetes v1.32; server v1.32.2)")
                                // the seconds depend on how long the check took to start: the minutes do not
                                .says("node worker-1 is unreachable", "has not reported for 2m", "Ready=Unknown since",
                                        "eviction of its 3 evictable pods starts at", "300s toleration (the default)",
                                        "systemctl status kubelet"))
                        // noticed at renew + 50 s, so the 300 s tolerations end in about 230 s
                        .expect(code("EVICTION_SCHEDULED").severity(WARNING)
                                .evidence("taint", "node.kubernetes.io/unreachable:NoExecute")
                                .evidence("pods_evictable", 3).evidence("pods_staying", 1).says("on worker-1"))
                        .absent("LEASE_STALE", "NODE_NOT_READY", "PODS_EVICTING").build(),
                nodes("node-unreachable-v1.31", "worker-2 lost power 2 minutes ago, under a v1.31 control plane")
                        .onlyOn(V131)
                        .breaks(lab -> lab.nodes().unreachable("worker-2", Duration.ofMinutes(2)))
                        .expect(code("NODE_UNKNOWN").severity(CRITICAL).evidence("grace_period", "40s")
                                .evidence("rule", "grace period 40s (default before Kubernetes v1.32; server v1.31.4)"))
                        .expect(code("EVICTION_SCHEDULED").severity(WARNING).says("on worker-2")).build(),
                nodes("node-pods-evicting", "worker-1 has been unreachable for 8 minutes: the 300 s tolerations have "
                        + "run out")
                        .breaks(lab -> lab.nodes().unreachable("worker-1", Duration.ofMinutes(8)))
                        .expect(code("PODS_EVICTING").severity(WARNING).evidence("pods_past_eviction", 3)
                                .says("stay Terminating until the kubelet comes back"))
                        .expect(code("NODE_UNKNOWN").says("eviction of its 3 evictable pods started at"))
                        .absent("EVICTION_SCHEDULED").build(),
                nodes("node-cni-not-ready", "the kubelet on worker-2 reports NotReady: cni plugin not initialized")
                        .breaks(lab -> lab.nodes().notReady("worker-2", Duration.ofMinutes(3)))
                        .expect(code("NODE_NOT_READY").severity(CRITICAL).evidence("Ready", "False")
                                .evidence("reason", "KubeletNotReady").says("reports NotReady",
                                        "cni plugin not initialized", "Lease is current", "network plugin is not ready",
                                        "node.kubernetes.io/not-ready"))
                        .expect(code("EVICTION_SCHEDULED").evidence("taint", "node.kubernetes.io/not-ready:NoExecute"))
                        .absent("NODE_UNKNOWN", "LEASE_STALE").build(),
                nodes("node-lease-stale", "worker-1's Lease stopped 3 minutes ago but nothing marked it Unknown "
                        + "(kube-controller-manager down)")
                        .breaks(lab -> lab.nodes().leaseStale("worker-1", Duration.ofMinutes(3)))
                        .expect(code("LEASE_STALE").severity(CRITICAL).says("last renewed its Lease 3m",
                                "still Ready=True", "kube-controller-manager"))
                        .absent(allNodeCodesBut("LEASE_STALE")).build(),
                nodes("lease-within-grace", "worker-2's Lease is 45 s old: within the 50 s grace period of v1.32")
                        .onlyOn(V132).breaks(lab -> lab.nodes().leaseStale("worker-2", Duration.ofSeconds(45)))
                        .healthy().absent("LEASE_STALE").build(),
                nodes("lease-stale-set-grace", "the same 45 s old Lease, with grace-period set to 30 s")
                        .param("grace-period", "30s")
                        .breaks(lab -> lab.nodes().leaseStale("worker-2", Duration.ofSeconds(45)))
                        .expect(code("LEASE_STALE").severity(CRITICAL).says("(set with grace-period)")).build(),
                nodes("node-disk-pressure", "worker-2 reports DiskPressure")
                        .breaks(lab -> lab.nodes().pressure("worker-2", "DiskPressure", Duration.ofMinutes(12)))
                        .expect(code("NODE_PRESSURE").severity(WARNING)
                                .evidence("DiskPressure_reason", "KubeletHasDiskPressure").says("DiskPressure since", "df -h"))
                        .absent(allNodeCodesBut("NODE_PRESSURE")).build(),
                nodes("node-memory-pressure", "worker-1 reports MemoryPressure")
                        .breaks(lab -> lab.nodes().pressure("worker-1", "MemoryPressure", Duration.ofMinutes(2)))
                        .expect(code("NODE_PRESSURE").severity(WARNING).says("MemoryPressure", "free -m")).build(),
                nodes("node-network-unavailable", "no route was created for worker-2's pod CIDR")
                        .breaks(lab -> lab.nodes().networkUnavailable("worker-2"))
                        .expect(code("NETWORK_UNAVAILABLE").severity(CRITICAL).evidence("reason", "NoRouteCreated"))
                        .build(),
                nodes("node-cordoned", "worker-1 was cordoned an hour ago, for maintenance")
                        .breaks(lab -> lab.nodes().cordon("worker-1", Duration.ofHours(1))).healthy()
                        .expect(code("NODE_CORDONED").severity(INFO).says("cordoned since", "(1h0m)")).build(),
                nodes("node-cordon-forgotten", "worker-1 was cordoned 3 days ago and never uncordoned")
                        .breaks(lab -> lab.nodes().cordon("worker-1", Duration.ofDays(3)))
                        .expect(code("NODE_CORDONED").severity(WARNING).says("kubectl uncordon worker-1"))
                        .absent(allNodeCodesBut("NODE_CORDONED")).build(),
                nodes("node-down-for-maintenance", "worker-1 was cordoned, then shut down 2 minutes ago")
                        .breaks(lab -> {
                            lab.nodes().cordon("worker-1", Duration.ofMinutes(20));
                            lab.nodes().unreachable("worker-1", Duration.ofMinutes(2));
                        })
                        .expect(code("NODE_UNKNOWN").severity(WARNING).says("planned maintenance")).build(),
                nodes("kubelet-version-skew", "worker-1 still runs kubelet v1.28 under a v1.32 control plane")
                        .onlyOn(V132).breaks(lab -> lab.nodes().kubeletVersion("worker-1", "v1.28.9"))
                        .expect(code("KUBELET_VERSION_SKEW").severity(WARNING)
                                .says("worker-1", "4 minor versions behind", "supported 3"))
                        .absent(allNodeCodesBut("KUBELET_VERSION_SKEW")).build(),
                nodes("kubelet-newer-than-apiserver", "worker-2 was upgraded to kubelet v1.33 before the control plane")
                        .breaks(lab -> lab.nodes().kubeletVersion("worker-2", "v1.33.1"))
                        .expect(code("KUBELET_VERSION_SKEW").severity(WARNING).says("worker-2", "newer than the API server"))
                        .build(),
                nodes("kubelet-within-skew", "worker-1 runs kubelet v1.29: within the supported skew")
                        .breaks(lab -> lab.nodes().kubeletVersion("worker-1", "v1.29.9")).healthy()
                        .absent("KUBELET_VERSION_SKEW").build(),
                Scenario.<KubernetesLab>of("context-by-name", "the kubeconfig's other context, named in the target")
                        .checks(NODES).target(lab -> "k8s://elsewhere?kubeconfig=" + lab.kubeconfig()).healthy().build(),
                Scenario.<KubernetesLab>of("context-missing", "the target names a context the kubeconfig does not have")
                        .checks(NODES).target(lab -> "k8s://?context=nope&kubeconfig=" + lab.kubeconfig())
                        .expect(code("PROBE_FAILED").severity(UNKNOWN)
                                .says("no context 'nope'", "contexts: opsdoc-lab, elsewhere")).build(),

                workloads("workloads-healthy", "Deployment, StatefulSet and DaemonSet at full strength").healthy()
                        .metrics("workloads", "pods").build(),
                workloads("crash-loop", "Deployment shop/checkout exits with status 1 at start: CrashLoopBackOff, "
                        + "0 of 2 available")
                        .breaks(lab -> lab.workloads().crashLoop(7))
                        .expect(code("NO_REPLICAS_AVAILABLE").severity(CRITICAL)
                                .says("Deployment shop/checkout has 0 of 2 replicas available", "2 CrashLoopBackOff"))
                        .expect(code("CRASH_LOOP").severity(WARNING).evidence("restartCount", 7)
                                .evidence("last_reason", "Error").evidence("last_exit_code", 1)
                                .evidence("pods_crashlooping", 2).says("2 of 2 pods", "restarted 7 times", "--previous"))
                        .absent("RESTARTING_OFTEN", "OOM_KILLED").build(),
                workloads("crash-loop-elsewhere", "the same crash loop, with the check limited to kube-system")
                        .param("namespace", "kube-system").breaks(lab -> lab.workloads().crashLoop(7)).healthy().build(),
                workloads("crash-loop-in-namespace", "the same crash loop, with the check limited to shop")
                        .param("namespace", "shop").breaks(lab -> lab.workloads().crashLoop(7))
                        .expect(code("CRASH_LOOP").severity(WARNING)).build(),
                workloads("replicas-none", "every pod of shop/web fails its readiness probe")
                        .breaks(lab -> lab.workloads().replicasBelowDesired(0))
                        .expect(code("NO_REPLICAS_AVAILABLE").severity(CRITICAL)).absent("REPLICAS_BELOW_DESIRED").build(),
                workloads("replicas-below-desired", "one of the 3 pods of shop/web fails its readiness probe")
                        .breaks(lab -> lab.workloads().replicasBelowDesired(2))
                        .expect(code("REPLICAS_BELOW_DESIRED").severity(WARNING).evidence("desired", 3)
                                .evidence("available", 2).says("2 of 3", "1 not Ready", "no rollout explains it"))
                        .absent("NO_REPLICAS_AVAILABLE", "CRASH_LOOP", "RESTARTING_OFTEN").build(),
                workloads("restarting-often", "shop/worker runs, but has restarted 6 times, the last 50 s ago")
                        .breaks(lab -> lab.workloads().restartingOften(6, Duration.ofSeconds(50)))
                        .expect(code("RESTARTING_OFTEN").severity(WARNING).says("restarted 6 times", "exit code 2"))
                        .absent("CRASH_LOOP", "OOM_KILLED", "REPLICAS_BELOW_DESIRED").build(),
                workloads("restarts-under-threshold", "the same 6 restarts, with the threshold raised to 10")
                        .param("restarts", "10")
                        .breaks(lab -> lab.workloads().restartingOften(6, Duration.ofSeconds(50))).healthy().build(),
                workloads("restarts-outside-window", "the same 6 restarts, with a 30 s restart window")
                        .param("restart-window", "30s")
                        .breaks(lab -> lab.workloads().restartingOften(6, Duration.ofSeconds(50))).healthy().build(),
                workloads("image-pull-backoff", "shop/api was rolled out with a tag the registry does not have")
                        .breaks(lab -> lab.workloads().imagePullBackOff())
                        .expect(code("IMAGE_PULL_FAILING").severity(WARNING)
                                .evidence("image", "registry.example.com/shop/api:1.4.3")
                                .evidence("imagePullPolicy", "IfNotPresent").evidence("reason", "ImagePullBackOff")
                                .says("no such image or tag"))
                        .expect(code("NO_REPLICAS_AVAILABLE").says("1 ImagePullBackOff")).build(),
                workloads("unschedulable", "shop/search requests 48Gi of memory, more than any node has")
                        .breaks(lab -> lab.workloads().unschedulable())
                        .expect(code("UNSCHEDULABLE").severity(WARNING).evidence("reason", "Unschedulable")
                                .says("1 pod of Deployment shop/search is Pending for 12m", "2 Insufficient memory",
                                        "no node has enough free resources")).build(),
                workloads("stuck-creating", "shop/uploads' new pod was bound to worker-2 25 minutes ago, but its "
                        + "ReadWriteOnce volume is still attached to worker-1: ContainerCreating ever since")
                        .onlyOn(V132).breaks(lab -> lab.workloads().stuckCreating(Duration.ofMinutes(25)))
                        .expect(code("STUCK_CREATING").severity(WARNING).evidence("pods_stuck", 1).evidence("nodes", "worker-2")
                                .says("1 pod of Deployment shop/uploads is bound to worker-2 but still in ContainerCreating "
                                        + "after 25m", "FailedMount"))
                        .expect(code("REPLICAS_BELOW_DESIRED")).absent("UNSCHEDULABLE", "CRASH_LOOP").build(),
                workloads("creating-within-timeout", "the same pod, bound 40 seconds ago: still mounting, within "
                        + "creating-timeout").onlyOn(V132).breaks(lab -> lab.workloads().stuckCreating(Duration.ofSeconds(40)))
                        .expect(code("REPLICAS_BELOW_DESIRED")).absent("STUCK_CREATING").build(),
                workloads("oom-killed", "shop/cache outgrows its 128Mi memory limit and is OOMKilled")
                        .breaks(lab -> lab.workloads().oomKilled())
                        .expect(code("OOM_KILLED").severity(WARNING).evidence("memory_limit", "128Mi")
                                .evidence("restartCount", 3).says("OOMKilled", "128Mi is too small"))
                        .absent("CRASH_LOOP", "RESTARTING_OFTEN", "REPLICAS_BELOW_DESIRED").build(),
                workloads("besteffort", "shop/reports declares no requests or limits")
                        .breaks(lab -> lab.workloads().bestEffort()).healthy()
                        .expect(code("BESTEFFORT_POD").severity(INFO).says("Deployment shop/reports"))
                        .absent("NO_MEMORY_LIMIT").build(),
                workloads("startup-probe-failing", "shop/catalog needs longer to load its index than its startup probe "
                        + "allows (30 x 10 s): killed 3 times, the 4th run not started either").onlyOn(V132)
                        .breaks(lab -> lab.workloads().startupProbeFailing())
                        .expect(code("STARTUP_PROBE_FAILING").severity(WARNING).evidence("container", "catalog")
                                .evidence("restartCount", 3).evidence("last_exit_code", 143)
                                .says("has never passed its startup probe", "killed by the kubelet", "Startup probe failed"))
                        .expect(code("NO_REPLICAS_AVAILABLE")).absent("CRASH_LOOP", "OOM_KILLED").build(),
                workloads("critical-not-guaranteed", "the operator names shop/web critical (app=web); its pods request "
                        + "250m CPU with a 1-CPU limit: Burstable").onlyOn(V132).param("critical-selector", "app=web")
                        .expect(code("CRITICAL_WORKLOAD_NOT_GUARANTEED").severity(WARNING).evidence("qosClass", "Burstable")
                                .evidence("pods", 3).says("Deployment shop/web", "critical-selector app=web",
                                        "requests equal to limits"))
                        .absent("BESTEFFORT_POD", "NO_MEMORY_LIMIT").build(),
                workloads("critical-guaranteed", "shop/payments (app=payments) requests what it limits: Guaranteed")
                        .onlyOn(V132).param("critical-selector", "app=payments").breaks(lab -> lab.workloads().guaranteedPayments())
                        .healthy().absent("CRITICAL_WORKLOAD_NOT_GUARANTEED").build(),
                workloads("no-memory-limit", "shop/indexer requests 500m and 1Gi and sets no limits").onlyOn(V132)
                        .breaks(lab -> lab.workloads().noMemoryLimit()).healthy()
                        .expect(code("NO_MEMORY_LIMIT").severity(INFO).evidence("containers", "indexer")
                                .evidence("limits", "none").says("Deployment shop/indexer", "resources.limits.memory"))
                        .absent("BESTEFFORT_POD").build(),
                workloads("no-probes", "shop/legacy serves on 8080 without readiness or liveness probes")
                        .breaks(lab -> lab.workloads().noProbes()).healthy()
                        .expect(code("PROBES_MISSING").severity(INFO).says("port 8080", "readiness or liveness")).build(),

                capacity("capacity-healthy", "two workers with plenty of unrequested CPU and memory").healthy()
                        .metrics("schedulable_nodes", "cpu_requested_percent").build(),
                capacity("memory-requests-high", "shop/analytics: 2 pods requesting 13Gi each on 15Gi workers")
                        .breaks(lab -> lab.workloads().addLoad("analytics", 2, "500m", "13Gi"))
                        .expect(code("REQUESTS_HIGH").severity(WARNING).says("of the memory the 2 schedulable nodes "
                                + "(not counted: cp-1 (node-role.kubernetes.io/control-plane:NoSchedule))"))
                        .expect("CANNOT_LOSE_A_NODE", "NO_ROOM_FOR_REPLICA").build(),
                capacity("cannot-lose-a-node", "shop/api-fleet: 16 pods of 1Gi, more than one worker could hold")
                        .breaks(lab -> lab.workloads().addLoad("api-fleet", 16, "100m", "1Gi"))
                        .expect(code("CANNOT_LOSE_A_NODE").severity(WARNING).says("would request more memory"))
                        .absent("REQUESTS_HIGH", "NO_ROOM_FOR_REPLICA").build(),
                capacity("no-room-for-replica", "shop/ml-training: 8Gi pods, no worker has 8Gi unrequested left")
                        .breaks(lab -> lab.workloads().addLoad("ml-training", 2, "500m", "8Gi"))
                        .expect(code("NO_ROOM_FOR_REPLICA").severity(WARNING)
                                .evidence("pod_requests", "cpu 500m, memory 8Gi").says("ml-training"))
                        .absent("REQUESTS_HIGH").build(),
                capacity("node-pod-slots-full", "worker-3 (max 17 pods) runs kube-proxy and 16 shop/queue-worker pods: "
                        + "every pod slot used while CPU and memory are mostly free").onlyOn(V132)
                        .breaks(lab -> lab.workloads().podSlotsFull())
                        .expect(code("NODE_PODS_NEAR_CAPACITY").severity(WARNING).evidence("node", "worker-3")
                                .evidence("pods", 17).evidence("allocatable_pods", 17).evidence("used_percent", 100.0)
                                .says("node worker-3 runs 17 pods of the 17", "OutOfpods", "maxPods"))
                        .absent("REQUESTS_HIGH", "CANNOT_LOSE_A_NODE", "NO_ROOM_FOR_REPLICA")
                        .metrics("max_node_pods_percent").build(),
                // quotas read the same fields on every version: one variant is enough
                capacity("quota-near-limit", "namespace batch: 9 report workers of 200m use 1800m of its 2-CPU quota")
                        .onlyOn(V132)
                        .breaks(lab -> lab.quotas().nearLimit()).healthy()
                        .expect(code("QUOTA_NEAR_LIMIT").severity(INFO).evidence("namespace", "batch")
                                .evidence("quota", "batch-quota").evidence("resource", "requests.cpu")
                                .evidence("used", "1800m").evidence("hard", "2").evidence("used_percent", 90.0)
                                .says("ResourceQuota batch/batch-quota", "(90.0%)"))
                        .absent("QUOTA_FULL", "QUOTA_EXCEEDED").metrics("quota_resources_near_limit").build(),
                capacity("quota-near-limit-set-threshold", "the same 90 % CPU quota, with quota-warning set to 95%")
                        .onlyOn(V132)
                        .param("quota-warning", "95%").breaks(lab -> lab.quotas().nearLimit()).healthy()
                        .absent("QUOTA_NEAR_LIMIT").build(),
                capacity("quota-full", "namespace batch runs 10 pods under a 10-pod quota").onlyOn(V132)
                        .breaks(lab -> lab.quotas().full())
                        .expect(code("QUOTA_FULL").severity(WARNING).evidence("resource", "pods").evidence("used", "10")
                                .evidence("hard", "10").says("uses all 10 of pods", "exceeded quota"))
                        .absent("QUOTA_NEAR_LIMIT", "QUOTA_EXCEEDED", "REQUESTS_HIGH").build(),
                capacity("quota-exceeded", "the batch quota was lowered from 20 pods to 8 while 10 run").onlyOn(V132)
                        .breaks(lab -> lab.quotas().exceeded())
                        .expect(code("QUOTA_EXCEEDED").severity(WARNING).evidence("resource", "pods").evidence("used", "10")
                                .evidence("hard", "8").evidence("used_percent", 125.0)
                                .says("uses 10 of 8 pods (125%)", "lowered the quota"))
                        .absent("QUOTA_FULL").build());
    }

    private static String[] allNodeCodesBut(String code) {
        return Arrays.stream(EVERY_NODE_CODE).filter(c -> !c.equals(code)).toArray(String[]::new);
    }

    private static Scenario.Builder<KubernetesLab> nodes(String id, String story) {
        return on(id, story, NODES);
    }

    private static Scenario.Builder<KubernetesLab> workloads(String id, String story) {
        return on(id, story, WORKLOADS);
    }

    private static Scenario.Builder<KubernetesLab> capacity(String id, String story) {
        return on(id, story, CAPACITY);
    }

    private static Scenario.Builder<KubernetesLab> on(String id, String story, String check) {
        return Scenario.<KubernetesLab>of(id, story).checks(check).target(KubernetesLab::targetUri);
    }
}
