package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k8s-node-notready's host mode: is the kubelet (and a container runtime) running on the node? The API server cannot
 * tell: a node whose kubelet died looks exactly like one that lost power (Ready=Unknown). One read of the node's
 * process table over the host transport ({@code local:} or {@code ssh://}) counts live processes named kubelet,
 * containerd, crio and dockerd; when systemd is the node's init, {@code systemctl show kubelet.service} adds why it is
 * not running (failed, its exit status, how often systemd restarted it). No privilege: /proc and systemctl show are
 * readable by any user.
 */
final class KubeletOnHost {
    static final List<String> RUNTIMES = List.of("containerd", "crio", "dockerd");
    static final List<String> PROPERTIES = List.of("LoadState", "ActiveState", "SubState", "Result", "NRestarts",
            "ExecMainStatus", "InactiveEnterTimestamp", "ActiveEnterTimestamp");

    private KubeletOnHost() {
    }

    static NodeFacts.KubeletHost read(CheckContext context, String host) throws Exception {
        Target target = Target.parse(host);
        CheckContext onNode = new CheckContext(target, context.password(), context.parameters(), context.deadline(),
                context.clients());
        String where = HostAccess.where(target);
        return HostAccess.with(onNode, h -> {
            Map<String, Integer> counts = count(h.processStats());
            Map<String, String> systemd = null;
            if (counts != null && counts.get(INIT_IS_SYSTEMD) == 1) {
                HostAccess.Result r = h.command(List.of("systemctl", "show", "kubelet.service", "--no-pager",
                        "--property=" + String.join(",", PROPERTIES)));
                systemd = r.status() != null && r.status() == 0 ? properties(r.out()) : null;
            }
            if (counts == null) {
                return new NodeFacts.KubeletHost(where, null, null, systemd);
            }
            Map<String, Integer> runtimes = new LinkedHashMap<>();
            RUNTIMES.forEach(name -> runtimes.put(name, counts.getOrDefault(name, 0)));
            int kubelets = counts.getOrDefault("kubelet", 0);
            for (String embedding : KubeletInactive.EMBEDDING) {
                kubelets += counts.getOrDefault(embedding, 0);
            }
            return new NodeFacts.KubeletHost(where, kubelets, runtimes, systemd);
        });
    }

    private static final String INIT_IS_SYSTEMD = " init is systemd";

    /**
     * Live processes by name (comm) from /proc/PID/stat lines, zombies not counted, plus whether PID 1 is systemd;
     * null when PID 1 is not in the listing: /proc is mounted with hidepid and shows only this user's processes, so an
     * absent kubelet would prove nothing.
     */
    static Map<String, Integer> count(String statLines) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        boolean init = false;
        boolean systemd = false;
        for (String line : statLines.lines().toList()) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= line.length()) {
                continue;
            }
            String name = line.substring(open + 1, close);
            if (line.substring(0, open).trim().equals("1")) {
                init = true;
                systemd = name.equals("systemd");
            }
            char state = line.charAt(close + 2);
            if (state != 'Z' && state != 'X') {
                counts.merge(name, 1, Integer::sum);
            }
        }
        if (!init) {
            return null;
        }
        counts.put(INIT_IS_SYSTEMD, systemd ? 1 : 0);
        return counts;
    }

    /** {@code systemctl show}'s KEY=VALUE lines. */
    static Map<String, String> properties(String out) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return map;
    }
}
