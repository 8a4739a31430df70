package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.lab.kubernetes.ControlPlaneLab;
import io.opsdoc.lab.kubernetes.KubernetesLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Kubernetes checks against a mock API server holding a three-node cluster, broken one way after another. */
final class KubernetesLabSuite implements LabSuite {
    private KubernetesLab lab;
    private ControlPlaneLab controlPlane;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "a Kubernetes API server stand-in (Fabric8 mock, " + KubernetesLab.DEFAULT_VERSION + ") with 3 nodes and a few "
                + "workloads, and an HTTPS stand-in for its health endpoints and certificate";
    }

    @Override
    public String start() {
        lab = KubernetesLab.start();
        controlPlane = ControlPlaneLab.start();
        return "API server " + lab.url() + ", kubeconfig " + lab.kubeconfig() + "; HTTPS health endpoints "
                + controlPlane.url();
    }

    @Override
    public void heal() {
        lab.heal();
        controlPlane.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                nodes("cluster-healthy", "3 nodes Ready, Leases renewed seconds ago", null, () -> { }),
                nodes("node-unreachable", "worker-1 lost power 2 minutes ago: Lease not renewed, Ready=Unknown, unreachable taint",
                        "NODE_UNKNOWN", () -> lab.nodeUnreachable("worker-1", Duration.ofMinutes(2))),
                nodes("node-pods-evicting", "worker-1 has been unreachable for 8 minutes: the 300 s tolerations have run out",
                        "PODS_EVICTING", () -> lab.nodeUnreachable("worker-1", Duration.ofMinutes(8))),
                nodes("node-cni-not-ready", "the kubelet on worker-2 reports NotReady: cni plugin not initialized",
                        "NODE_NOT_READY", () -> lab.nodeNotReady("worker-2", Duration.ofMinutes(3))),
                nodes("node-lease-stale", "worker-1's Lease stopped 3 minutes ago but nothing marked it Unknown "
                        + "(kube-controller-manager down)", "LEASE_STALE", () -> lab.leaseStale("worker-1", Duration.ofMinutes(3))),
                nodes("node-disk-pressure", "worker-2 reports DiskPressure", "NODE_PRESSURE",
                        () -> lab.nodePressure("worker-2", "DiskPressure", Duration.ofMinutes(12))),
                nodes("node-network-unavailable", "no route was created for worker-2's pod CIDR", "NETWORK_UNAVAILABLE",
                        () -> lab.networkUnavailable("worker-2")),
                nodes("node-cordon-forgotten", "worker-1 was cordoned 3 days ago and never uncordoned", "NODE_CORDONED",
                        () -> lab.cordon("worker-1", Duration.ofDays(3))),
                nodes("kubelet-version-skew", "worker-1 still runs kubelet v1.28 under a v1.32 control plane",
                        "KUBELET_VERSION_SKEW", () -> lab.kubeletVersion("worker-1", "v1.28.9")),
                workloads("workloads-healthy", "Deployment, StatefulSet and DaemonSet at full strength", null, () -> { }),
                workloads("crash-loop", "Deployment shop/checkout exits with status 1 at start: CrashLoopBackOff, 0 of 2 available",
                        "CRASH_LOOP", () -> lab.crashLoop(7)),
                workloads("replicas-none", "every pod of shop/web fails its readiness probe", "NO_REPLICAS_AVAILABLE",
                        () -> lab.replicasBelowDesired(0)),
                workloads("replicas-below-desired", "one of the 3 pods of shop/web fails its readiness probe",
                        "REPLICAS_BELOW_DESIRED", () -> lab.replicasBelowDesired(2)),
                workloads("restarting-often", "shop/worker runs, but has restarted 6 times, the last 50 s ago",
                        "RESTARTING_OFTEN", () -> lab.restartingOften(6, Duration.ofSeconds(50))),
                workloads("image-pull-backoff", "shop/api was rolled out with a tag the registry does not have",
                        "IMAGE_PULL_FAILING", () -> lab.imagePullBackOff()),
                workloads("unschedulable", "shop/search requests 48Gi of memory, more than any node has",
                        "UNSCHEDULABLE", () -> lab.unschedulable()),
                workloads("oom-killed", "shop/cache outgrows its 128Mi memory limit and is OOMKilled", "OOM_KILLED",
                        () -> lab.oomKilled()),
                workloads("besteffort", "shop/reports declares no requests or limits", "BESTEFFORT_POD", () -> lab.bestEffort()),
                workloads("no-probes", "shop/legacy serves on 8080 without readiness or liveness probes", "PROBES_MISSING",
                        () -> lab.noProbes()),
                capacity("capacity-healthy", "two workers with plenty of unrequested CPU and memory", null, () -> { }),
                capacity("memory-requests-high", "shop/analytics: 2 pods requesting 13Gi each on 15Gi workers",
                        "REQUESTS_HIGH", () -> lab.addLoad("analytics", 2, "500m", "13Gi")),
                capacity("cannot-lose-a-node", "shop/api-fleet: 16 pods of 1Gi, more than one worker could hold",
                        "CANNOT_LOSE_A_NODE", () -> lab.addLoad("api-fleet", 16, "100m", "1Gi")),
                capacity("no-room-for-replica", "shop/ml-training: 8Gi pods, no worker has 8Gi unrequested left",
                        "NO_ROOM_FOR_REPLICA", () -> lab.addLoad("ml-training", 2, "500m", "8Gi")),
                controlPlane("control-plane-healthy", "readyz and livez pass, serving certificate valid for 335 more days",
                        null, () -> { }),
                controlPlane("etcd-down", "the API server cannot reach etcd: [-]etcd in readyz and livez", "ETCD_UNHEALTHY",
                        () -> controlPlane.etcdDown()),
                controlPlane("apiserver-not-ready", "informer-sync fails after a restart", "APISERVER_NOT_READY",
                        () -> controlPlane.notReady("informer-sync")),
                controlPlane("cert-expiring", "the serving certificate expires in 5 days", "CERT_EXPIRING",
                        () -> controlPlane.certificate(-360, 365)),
                controlPlane("cert-expired", "the serving certificate expired 35 days ago", "CERT_EXPIRED",
                        () -> controlPlane.certificate(-400, 365)));
    }

    private LabScenario controlPlane(String name, String description, String code, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return LabRun.check("k8s-control-plane", controlPlane.targetUri(), Map.of(), null, Duration.ofSeconds(10));
        });
    }

    private LabScenario capacity(String name, String description, String code, Runnable induce) {
        return scenario("k8s-capacity", name, description, code, induce);
    }

    private LabScenario workloads(String name, String description, String code, Runnable induce) {
        return scenario("k8s-workloads", name, description, code, induce);
    }

    private LabScenario nodes(String name, String description, String code, Runnable induce) {
        return scenario("k8s-node-notready", name, description, code, induce);
    }

    private LabScenario scenario(String checkId, String name, String description, String code, Runnable induce) {
        return new LabScenario(name, description, code, () -> {
            induce.run();
            return check(checkId);
        });
    }

    private Report check(String id) {
        return LabRun.check(id, lab.targetUri(), Map.of(), null, Duration.ofSeconds(10));
    }
}
