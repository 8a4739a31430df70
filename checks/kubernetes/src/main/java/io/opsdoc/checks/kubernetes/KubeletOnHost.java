package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.checks.host.ProcStat;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
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
            List<ProcStat> table = ProcStat.parse(h.processStats());
            Map<String, String> systemd = null;
            String init = ProcStat.init(table);
            // under hidepid PID 1 is hidden too: ask systemctl, which fails where systemd is not init
            if (init == null || init.equals("systemd")) {
                systemd = systemctlShow(h);
            }
            return of(where, ProcStat.liveByCommand(table), systemd);
        });
    }

    /**
     * What the host showed, from its live processes by command (null: /proc hides other users' processes) and
     * systemctl show's properties (null: systemd is not init, or did not answer).
     */
    static NodeFacts.KubeletHost of(String where, Map<String, Integer> live, Map<String, String> systemd) {
        if (live == null) {
            return new NodeFacts.KubeletHost(where, null, null, systemd);
        }
        int kubelets = live.getOrDefault("kubelet", 0);
        for (String embedding : KubeletInactive.EMBEDDING) {
            kubelets += live.getOrDefault(embedding, 0);
        }
        Map<String, Integer> runtimes = new LinkedHashMap<>();
        RUNTIMES.forEach(name -> runtimes.put(name, live.getOrDefault(name, 0)));
        return new NodeFacts.KubeletHost(where, kubelets, runtimes, systemd);
    }

    /** The kubelet unit's properties; null when systemctl is missing or answers nothing (systemd is not init). */
    private static Map<String, String> systemctlShow(HostAccess.Host h) throws Exception {
        try {
            HostAccess.Result r = h.command(List.of("systemctl", "show", "kubelet.service", "--no-pager",
                    "--property=" + String.join(",", PROPERTIES)));
            return r.status() != null && r.status() == 0 ? properties(r.out()) : null;
        } catch (ProbeException e) {
            if (e.code() == ProbeErrors.TIMEOUT) {
                throw e;
            }
            return null; // not installed on local:; the process table alone decides
        }
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
