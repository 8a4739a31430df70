package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.NodeFacts.KubeletHost;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * KUBELET_INACTIVE: the host named by kubelet-host runs no kubelet. The process table decides (a live process named
 * kubelet, or k3s, whose server and agent carry the kubelet in-process); systemd's view of kubelet.service only says
 * why. Without a full process table (hidepid) systemd's ActiveState decides; without either there is no verdict.
 */
final class KubeletInactive {
    /** k3s runs the kubelet inside its own process: its server or agent on the node means a kubelet. */
    static final List<String> EMBEDDING = List.of("k3s-server", "k3s-agent", "k3s");

    private KubeletInactive() {
    }

    static void evaluate(KubeletHost k, Evaluation.Builder out) {
        if (k == null) {
            return;
        }
        Map<String, String> unit = k.systemd() != null && !"not-found".equals(k.systemd().get("LoadState"))
                ? k.systemd() : null;
        Boolean running;
        if (k.kubeletProcesses() != null) {
            running = k.kubeletProcesses() > 0;
            out.metric(Metric.of("kubelet_processes", k.kubeletProcesses(), ""));
        } else if (unit != null) {
            String state = unit.getOrDefault("ActiveState", "");
            running = state.equals("active") || state.equals("reloading");
        } else {
            running = null;
        }
        if (running == null || running) {
            return;
        }
        String why = unit == null ? "" : " (kubelet.service " + unit.getOrDefault("ActiveState", "?") + "/"
                + unit.getOrDefault("SubState", "?") + ", result " + unit.getOrDefault("Result", "?")
                + restarts(unit) + ")";
        String runtimes = k.runtimeProcesses() == null ? null : k.runtimeProcesses().entrySet().stream()
                .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).collect(Collectors.joining(", "));
        String runtimeText = runtimes == null ? "" : runtimes.isEmpty()
                ? "; no container runtime runs either (containerd, crio, dockerd): start it first"
                : "; the container runtime runs (" + runtimes + ")";
        Evidence e = Evidence.of("host", k.host(), "kubelet_processes", k.kubeletProcesses());
        if (unit != null) {
            for (String key : KubeletOnHost.PROPERTIES) {
                e.putIfPresent("systemd_" + key, blankToNull(unit.get(key)));
            }
        }
        if (k.runtimeProcesses() != null) {
            k.runtimeProcesses().forEach((name, n) -> e.put(name + "_processes", n));
        }
        out.finding(NodeReadinessCode.KUBELET_INACTIVE, Severity.CRITICAL, "no kubelet runs on " + k.host() + why
                + runtimeText + ": the node stops renewing its Lease and turns Ready=Unknown within the grace period, "
                + "and its pods are evicted 300 s later. Read why it stopped (journalctl -u kubelet -n 50 --no-pager: "
                + "a bad /var/lib/kubelet/config.yaml, swap on, an expired client certificate, a cgroup driver "
                + "different from the runtime's), fix that, then systemctl start kubelet", e, k.host());
    }

    private static String restarts(Map<String, String> unit) {
        String n = unit.get("NRestarts");
        return n == null || n.equals("0") || n.isEmpty() ? "" : ", restarted " + n + " times";
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
