package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.NodeReadinessCode.*;

import io.opsdoc.checks.kubernetes.NodeFacts.Condition;
import io.opsdoc.checks.kubernetes.NodeFacts.NodeState;
import io.opsdoc.checks.kubernetes.NodeFacts.NodeTaint;
import io.opsdoc.checks.kubernetes.NodeFacts.PodOnNode;
import io.opsdoc.checks.kubernetes.NodeFacts.PodToleration;
import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A node went NotReady: why, since when, and what will Kubernetes do next? Per node: the Ready condition (Unknown =
 * the kubelet stopped reporting, False = the kubelet reports a local problem), the age of its Lease in
 * {@code kube-node-lease} against the node-monitor grace period of the server's version, when the not-ready /
 * unreachable NoExecute taints evict its pods, pressure and network conditions, cordon, kubelet version skew, and
 * how often Ready changed lately ({@link ReadyFlapping}). With kubelet-host, whether that node runs a kubelet at all
 * ({@link KubeletInactive}): the one question the API server cannot answer.
 *
 * <p>This class never touches Fabric8: {@link NodeCollector} does the I/O, so the client library loads only when
 * the check runs, and {@link #evaluate} works on recorded facts offline.
 */
public final class NodeReadiness extends DescribedCheck<NodeFacts> {
    public static final String ID = "k8s-node-notready";
    static final String NOTE = "kubernetes/node-notready";

    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
    /** What the DefaultTolerationSeconds admission plugin gives pods that set no toleration of their own. */
    static final long DEFAULT_TOLERATION_SECONDS = 300;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("grace-period", ParameterType.DURATION, "0s",
                    "kube-controller-manager --node-monitor-grace-period; 0s = the default of the server's version "
                            + "(40s before v1.32, 50s from v1.32)"),
            new ParameterSpec("cordon-warning", ParameterType.DURATION, "24h",
                    "a node cordoned for longer than this is a WARNING (INFO before)"),
            new ParameterSpec("flap-window", ParameterType.DURATION, "15m",
                    "READY_FLAPPING counts the node's Ready transitions (its NodeReady/NodeNotReady Events) in this "
                            + "window; Events live one hour after their last update, so more than 1h sees nothing more"),
            new ParameterSpec("flap-transitions", ParameterType.INTEGER, "2",
                    "more Ready transitions than this within flap-window is READY_FLAPPING (kubernetes-mixin: 2 in 15m)"),
            new ParameterSpec("kubelet-host", ParameterType.STRING, "", "also look for the kubelet process on one "
                    + "node: local: when opsdoc runs on it, or ssh://user@node (KUBELET_INACTIVE needs it); empty: "
                    + "not checked. The node's SSH key passphrase, if any, is the check's password"));

    private static final List<GrantSet> GRANTS = KubeGrants.withNodeGrants(List.of(
            KubeGrants.clusterRole(ID, "Lists Nodes, the node Leases in kube-node-lease, the pods bound to nodes that "
                    + "are not Ready (for their tolerations), and Events (the nodes' Ready transitions).",
                    new KubeGrants.Rule("", List.of("nodes", "pods", "events")),
                    new KubeGrants.Rule("coordination.k8s.io", List.of("leases")))),
            HostAccess.grants(ID, "only with --set kubelet-host=: the process names in /proc and systemctl show "
                    + "kubelet.service, both readable by any user"));

    public NodeReadiness() {
        super(ID, KubeTarget.SCHEME, "Are all Kubernetes nodes Ready? For those that are not: why, since when, and when are their pods evicted?",
                NodeFacts.class, PARAMETERS, HostAccess.codesWith(NodeReadinessCode.class), GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        String host = p.string("kubelet-host").strip();
        if (!host.isEmpty()) {
            HostAccess.hostParameter("kubelet-host", host);
        }
    }

    @Override
    public NodeFacts collect(CheckContext context) throws Exception {
        return NodeCollector.collect(context);
    }

    /** The grace period that applied, and how it was chosen, for the evidence. */
    record Grace(Duration period, String rule) {
    }

    static Grace grace(ServerVersion server, Parameters p) {
        Duration set = p.duration("grace-period");
        if (!set.isZero()) {
            return new Grace(set, "grace period " + Durations.human(set) + " (set with grace-period)");
        }
        int minor = server == null ? -1 : server.minorNumber();
        if (minor < 0) {
            return new Grace(Duration.ofSeconds(50), "grace period 50s (server version unknown; assumed v1.32 or later)");
        }
        return minor >= 32
                ? new Grace(Duration.ofSeconds(50), "grace period 50s (default from Kubernetes v1.32; server " + server.display() + ")")
                : new Grace(Duration.ofSeconds(40), "grace period 40s (default before Kubernetes v1.32; server " + server.display() + ")");
    }

    @Override
    public void evaluate(NodeFacts facts, Parameters p, Evaluation.Builder out) {
        Instant now = facts.observedAt();
        Grace grace = grace(facts.server(), p);
        int notReady = 0;
        int cordoned = 0;
        long maxLeaseAge = -1;
        for (NodeState n : facts.nodes()) {
            NodeEvaluation e = new NodeEvaluation(n, now, grace, facts, p, out);
            e.run();
            notReady += e.ready() ? 0 : 1;
            cordoned += n.unschedulable() ? 1 : 0;
            if (e.leaseAge() != null) {
                maxLeaseAge = Math.max(maxLeaseAge, e.leaseAge().getSeconds());
            }
        }
        ReadyFlapping.evaluate(facts, p, out);
        KubeletInactive.evaluate(facts.kubelet(), out);
        out.metric(Metric.of("nodes", facts.nodes().size(), ""));
        out.metric(Metric.of("nodes_not_ready", notReady, ""));
        out.metric(Metric.of("nodes_cordoned", cordoned, ""));
        if (maxLeaseAge >= 0) {
            out.metric(new Metric("node_lease_age_max_seconds", maxLeaseAge, "s", java.util.Map.of(), null,
                    (double) grace.period().getSeconds()));
        }
    }

    /** The rules for one node. */
    private static final class NodeEvaluation {
        private final NodeState n;
        private final Instant now;
        private final Grace grace;
        private final NodeFacts facts;
        private final Parameters p;
        private final Evaluation.Builder out;
        private final Condition ready;
        private final Duration leaseAge;

        NodeEvaluation(NodeState n, Instant now, Grace grace, NodeFacts facts, Parameters p, Evaluation.Builder out) {
            this.n = n;
            this.now = now;
            this.grace = grace;
            this.facts = facts;
            this.p = p;
            this.out = out;
            this.ready = n.condition("Ready");
            this.leaseAge = n.lease() == null || n.lease().renewTime() == null ? null
                    : Duration.between(n.lease().renewTime(), now);
        }

        boolean ready() {
            return ready != null && "True".equals(ready.status());
        }

        Duration leaseAge() {
            return leaseAge;
        }

        void run() {
            String status = ready == null ? null : ready.status();
            if (status == null || "Unknown".equals(status)) {
                unknown();
            } else if ("False".equals(status)) {
                notReady();
            }
            if (leaseAge != null && leaseAge.compareTo(grace.period()) > 0 && status != null && !"Unknown".equals(status)) {
                leaseStale(status);
            }
            eviction();
            pressure();
            network();
            cordon();
            skew();
        }

        private Evidence leaseEvidence(Evidence e) {
            if (n.lease() == null) {
                return e.put("lease", "none in " + NodeCollector.NODE_LEASE_NAMESPACE);
            }
            return e.put("lease_renew_time", n.lease().renewTime())
                    .put("lease_age", leaseAge == null ? null : Durations.human(leaseAge))
                    .put("grace_period", Durations.human(grace.period()))
                    .put("rule", grace.rule());
        }

        private void unknown() {
            // the last sign of life: the Lease renewal, or the last status post when there is no Lease
            Instant last = n.lease() != null && n.lease().renewTime() != null ? n.lease().renewTime()
                    : ready == null ? null : ready.lastHeartbeatTime();
            String silent = last == null ? "has never reported" : "has not reported for " + Durations.since(last, now)
                    + (n.lease() != null && n.lease().renewTime() != null ? " (last Lease renewal " + last + ")" : " (last status " + last + ")");
            String noticed = ready == null ? "it has no Ready condition yet"
                    : "Ready=Unknown since " + ready.lastTransitionTime() + " (" + Durations.since(ready.lastTransitionTime(), now)
                            + " ago, once the " + grace.rule() + " ran out)";
            String summary = "node " + n.name() + " is unreachable: its kubelet " + silent + "; " + noticed + "; "
                    + evictionClause(UNREACHABLE_TAINT) + ". Check that the machine is up and reachable from the control "
                    + "plane, then the kubelet on it (systemctl status kubelet; journalctl -u kubelet) and its client "
                    + "certificate";
            Evidence e = Evidence.of("Ready", ready == null ? null : ready.status())
                    .putIfPresent("reason", ready == null ? null : ready.reason())
                    .putIfPresent("message", ready == null ? null : ready.message())
                    .put("unknown_since", ready == null ? null : ready.lastTransitionTime());
            leaseEvidence(e);
            Severity severity = Severity.CRITICAL;
            if (n.unschedulable()) {
                severity = Severity.WARNING;
                summary += " (the node was cordoned first: if it is down for planned maintenance, this is expected)";
            }
            out.finding(NODE_UNKNOWN, severity, summary, e, n.name());
        }

        private void notReady() {
            String message = ready.message() == null ? "" : ready.message();
            String leaseState = leaseAge == null ? "it has no Lease to tell whether the kubelet still runs"
                    : leaseAge.compareTo(grace.period()) <= 0
                            ? "its Lease is current (renewed " + Durations.human(leaseAge) + " ago), so the kubelet runs and "
                                    + "reaches the API server: the problem is on the node"
                            : "its Lease has not been renewed for " + Durations.human(leaseAge) + " either";
            String summary = "the kubelet on " + n.name() + " reports NotReady since " + ready.lastTransitionTime() + " ("
                    + Durations.since(ready.lastTransitionTime(), now) + "): " + ready.reason()
                    + (message.isEmpty() ? "" : ": " + message) + "; " + leaseState + ". " + hint(message) + "; "
                    + evictionClause(NOT_READY_TAINT);
            Evidence e = Evidence.of("Ready", ready.status(), "reason", ready.reason())
                    .putIfPresent("message", message)
                    .put("not_ready_since", ready.lastTransitionTime());
            leaseEvidence(e);
            out.finding(NODE_NOT_READY, n.unschedulable() ? Severity.WARNING : Severity.CRITICAL, summary, e, n.name());
        }

        /** What the kubelet's own words point at. */
        private static String hint(String message) {
            String m = message.toLowerCase(Locale.ROOT);
            if (m.contains("network plugin") || m.contains("cni") || m.contains("networkready=false")) {
                return "The network plugin is not ready: check the CNI pod on this node (calico-node, cilium, flannel...) "
                        + "and /etc/cni/net.d";
            }
            if (m.contains("pleg")) {
                return "The pod lifecycle event generator is not healthy: the container runtime answers too slowly; check "
                        + "containerd/CRI-O (crictl ps), node load and disk I/O";
            }
            if (m.contains("container runtime") || m.contains("runtime is down") || m.contains("containerd")) {
                return "The container runtime is not working: systemctl status containerd (or crio); crictl info";
            }
            return "journalctl -u kubelet on the node says why";
        }

        /** When the pods on this node are evicted because of the NoExecute taint with this key, in one clause. */
        private String evictionClause(String taintKey) {
            NodeTaint taint = n.taint(taintKey, "NoExecute");
            if (taint == null) {
                return "no " + taintKey + ":NoExecute taint yet, so no eviction is scheduled (the node-lifecycle "
                        + "controller in kube-controller-manager adds it)";
            }
            Eviction ev = Eviction.of(n, taint, now);
            if (ev.evictable() == 0 && n.pods() != null) {
                return "tainted " + taintKey + ":NoExecute since " + taint.timeAdded() + ", but none of its "
                        + n.pods().size() + " pods will be evicted (they tolerate the taint indefinitely)";
            }
            if (ev.firstEviction().isAfter(now)) {
                return "eviction of its " + ev.evictableText() + " starts at " + ev.firstEviction() + " (in "
                        + Durations.since(now, ev.firstEviction()) + ": " + ev.tolerationText() + " from the " + taintKey
                        + " taint added at " + taint.timeAdded() + ")";
            }
            return "eviction of its " + ev.evictableText() + " started at " + ev.firstEviction() + " ("
                    + Durations.since(ev.firstEviction(), now) + " ago)";
        }

        private void eviction() {
            for (String key : List.of(UNREACHABLE_TAINT, NOT_READY_TAINT)) {
                NodeTaint taint = n.taint(key, "NoExecute");
                if (taint == null || taint.timeAdded() == null) {
                    continue;
                }
                Eviction ev = Eviction.of(n, taint, now);
                if (ev.evictable() == 0 && n.pods() != null) {
                    continue;
                }
                Evidence e = Evidence.of("taint", key + ":NoExecute", "taint_added", taint.timeAdded(),
                        "toleration", ev.tolerationText(), "first_eviction", ev.firstEviction());
                if (n.pods() != null) {
                    e.put("pods_evictable", ev.evictable()).put("pods_staying", ev.staying());
                } else {
                    e.put("pods", "not looked up (more than " + facts.podLookupLimit() + " affected nodes)");
                }
                if (ev.firstEviction().isAfter(now)) {
                    out.finding(EVICTION_SCHEDULED, Severity.WARNING, "Kubernetes starts evicting the "
                            + ev.evictableText() + " on " + n.name() + " at " + ev.firstEviction() + " (in "
                            + Durations.since(now, ev.firstEviction()) + "), when their " + ev.tolerationText()
                            + " of the " + key + " taint ends; their controllers then create replacements on other nodes"
                            + (ev.staying() > 0 ? "; " + ev.staying() + (ev.staying() == 1 ? " pod" : " pods")
                                    + " that tolerate the taint indefinitely (DaemonSets and the like) stay" : ""),
                            e.put("evict_in", Durations.since(now, ev.firstEviction())), n.name());
                } else {
                    List<PodOnNode> past = ev.pastDue();
                    String examples = past.stream().limit(5).map(x -> x.namespace() + "/" + x.name())
                            .collect(Collectors.joining(", "));
                    long terminating = past.stream().filter(PodOnNode::terminating).count();
                    e.put("eviction_started", Durations.since(ev.firstEviction(), now) + " ago");
                    if (n.pods() != null) {
                        e.put("pods_past_eviction", past.size()).put("terminating", terminating).putIfPresent("examples", examples);
                    }
                    boolean unreachable = key.equals(UNREACHABLE_TAINT);
                    out.finding(PODS_EVICTING, Severity.WARNING, "eviction from " + n.name() + " started "
                            + Durations.since(ev.firstEviction(), now) + " ago"
                            + (n.pods() == null ? "" : "; " + past.size() + " pods are still bound to it (" + terminating
                                    + " Terminating)")
                            + (unreachable ? ": on an unreachable node they stay Terminating until the kubelet comes back "
                                    + "or the Node object is deleted, and StatefulSet pods are not recreated elsewhere "
                                    + "until then" : ""),
                            e, n.name());
                }
            }
        }

        private void leaseStale(String status) {
            boolean justMissed = leaseAge.compareTo(grace.period().plusSeconds(15)) <= 0;
            String summary = "the kubelet on " + n.name() + " last renewed its Lease " + Durations.human(leaseAge)
                    + " ago, beyond the " + grace.rule() + ", yet the node is still Ready=" + status + ": "
                    + (justMissed ? "the node-lifecycle controller should mark it Unknown within seconds"
                            : "the node-lifecycle controller has not acted; check kube-controller-manager (is it running, "
                                    + "does it hold its leader Lease in kube-system?) and the clocks of the control plane")
                    + ", and the kubelet on the node (systemctl status kubelet)";
            Evidence e = Evidence.of("Ready", status);
            leaseEvidence(e);
            out.finding(LEASE_STALE, Severity.CRITICAL, summary, e, n.name());
        }

        private void pressure() {
            List<Condition> on = new ArrayList<>();
            for (String type : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
                Condition c = n.condition(type);
                if (c != null && "True".equals(c.status())) {
                    on.add(c);
                }
            }
            if (on.isEmpty()) {
                return;
            }
            Evidence e = Evidence.of();
            List<String> what = new ArrayList<>();
            List<String> hints = new ArrayList<>();
            for (Condition c : on) {
                e.put(c.type(), "True since " + c.lastTransitionTime()).putIfPresent(c.type() + "_reason", c.reason());
                what.add(c.type() + " since " + c.lastTransitionTime() + " (" + Durations.since(c.lastTransitionTime(), now) + ")");
                hints.add(switch (c.type()) {
                    case "MemoryPressure" -> "free -m and the pods using most memory (kubectl top pods -A --sort-by=memory)";
                    case "DiskPressure" -> "df -h and df -i for / and /var/lib (container images, logs, emptyDir); "
                            + "crictl rmi --prune frees unused images";
                    default -> "the process count (ps -eLf | wc -l) against kernel.pid_max and pod pid limits";
                });
            }
            out.finding(NODE_PRESSURE, Severity.WARNING, "node " + n.name() + " reports " + String.join(" and ", what)
                    + ": the kubelet evicts pods to reclaim it (BestEffort first, then pods using more than they "
                    + "requested) and the node takes no new pods; check " + String.join("; ", hints), e, n.name());
        }

        private void network() {
            Condition c = n.condition("NetworkUnavailable");
            if (c == null || !"True".equals(c.status())) {
                return;
            }
            out.finding(NETWORK_UNAVAILABLE, Severity.CRITICAL, "the pod network of " + n.name() + " is not configured "
                    + "(NetworkUnavailable=True since " + c.lastTransitionTime() + ": " + c.reason()
                    + (c.message() == null ? "" : ", " + c.message()) + "): pods there cannot reach other nodes; check the "
                    + "network plugin's pod on the node, or the cloud route controller",
                    Evidence.of("NetworkUnavailable", c.status(), "reason", c.reason()).putIfPresent("message", c.message())
                            .put("since", c.lastTransitionTime()),
                    n.name());
        }

        private void cordon() {
            if (!n.unschedulable()) {
                return;
            }
            NodeTaint t = n.taint(UNSCHEDULABLE_TAINT, "NoSchedule");
            Instant since = t == null ? null : t.timeAdded();
            Duration limit = p.duration("cordon-warning");
            boolean old = since != null && Duration.between(since, now).compareTo(limit) > 0;
            out.finding(NODE_CORDONED, old ? Severity.WARNING : Severity.INFO, "node " + n.name() + " is cordoned "
                    + (since == null ? "(since when is not recorded)" : "since " + since + " (" + Durations.since(since, now) + ")")
                    + ": the scheduler puts no new pods there, so the cluster has one node less of capacity"
                    + (old ? "; that is longer than " + Durations.human(limit) + ": if the maintenance is over, kubectl "
                            + "uncordon " + n.name() : ""),
                    Evidence.of("unschedulable", true, "cordoned_since", since, "cordon-warning", p.raw().get("cordon-warning")),
                    n.name());
        }

        private void skew() {
            int server = facts.server() == null ? -1 : facts.server().minorNumber();
            int kubelet = ServerVersion.minorOf(n.kubeletVersion());
            if (server < 0 || kubelet < 0) {
                return;
            }
            int allowed = server >= 28 ? 3 : 2;
            String rule = "kubelet may be up to " + allowed + " minor versions older than kube-apiserver, never newer ("
                    + (server >= 28 ? "policy from v1.28" : "policy before v1.28") + ")";
            Evidence e = Evidence.of("kubelet", n.kubeletVersion(), "apiserver", facts.server().display(), "rule", rule);
            if (kubelet > server) {
                out.finding(KUBELET_VERSION_SKEW, Severity.WARNING, "the kubelet on " + n.name() + " (" + n.kubeletVersion()
                        + ") is newer than the API server (" + facts.server().display() + "): unsupported; upgrade the "
                        + "control plane first, or downgrade this node", e, n.name());
            } else if (server - kubelet > allowed) {
                out.finding(KUBELET_VERSION_SKEW, Severity.WARNING, "the kubelet on " + n.name() + " (" + n.kubeletVersion()
                        + ") is " + (server - kubelet) + " minor versions behind the API server (" + facts.server().display()
                        + "), more than the supported " + allowed + ": upgrade the node (drain, upgrade kubelet, uncordon)",
                        e, n.name());
            }
        }
    }

    /**
     * When taint-based eviction removes the pods of one node: each pod leaves at the taint's {@code timeAdded} plus
     * its matching toleration's {@code tolerationSeconds} (at once without a matching toleration, never when the
     * toleration has no seconds).
     */
    record Eviction(int evictable, int staying, Instant firstEviction, Long firstToleration, List<PodOnNode> pastDue,
            boolean podsKnown) {

        static Eviction of(NodeState n, NodeTaint taint, Instant now) {
            Instant added = taint.timeAdded() == null ? now : taint.timeAdded();
            if (n.pods() == null) {
                return new Eviction(-1, -1, added.plusSeconds(DEFAULT_TOLERATION_SECONDS), DEFAULT_TOLERATION_SECONDS,
                        List.of(), false);
            }
            int evictable = 0;
            int staying = 0;
            Instant first = null;
            Long firstSeconds = null;
            List<PodOnNode> past = new ArrayList<>();
            for (PodOnNode pod : n.pods()) {
                PodToleration match = pod.tolerations() == null ? null : pod.tolerations().stream()
                        .filter(t -> t.tolerates(taint.key(), "NoExecute")).findFirst().orElse(null);
                if (match != null && match.tolerationSeconds() == null) {
                    staying++;
                    continue;
                }
                long seconds = match == null ? 0 : Math.max(0, match.tolerationSeconds());
                Instant at = added.plusSeconds(seconds);
                evictable++;
                if (first == null || at.isBefore(first)) {
                    first = at;
                    firstSeconds = seconds;
                }
                if (!at.isAfter(now)) {
                    past.add(pod);
                }
            }
            return new Eviction(evictable, staying, first == null ? added : first, firstSeconds, past, true);
        }

        String evictableText() {
            return podsKnown ? evictable + " evictable pod" + (evictable == 1 ? "" : "s") : "pods";
        }

        String tolerationText() {
            if (!podsKnown) {
                return "default " + DEFAULT_TOLERATION_SECONDS + "s toleration (assumed: pods not looked up)";
            }
            long s = firstToleration == null ? 0 : firstToleration;
            return s == 0 ? "no toleration" : s + "s toleration" + (s == DEFAULT_TOLERATION_SECONDS ? " (the default)" : "");
        }
    }
}
