package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.KubeProxyCode.KUBE_PROXY_UNHEALTHY;
import static io.opsdoc.checks.kubernetes.KubeProxyCode.SERVICE_RULES_MISSING;

import io.opsdoc.checks.kubernetes.DaemonSetState.DaemonPod;
import io.opsdoc.checks.kubernetes.KubeProxyFacts.Healthz;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
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
import io.opsdoc.checks.host.HostAccess;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Does kube-proxy program Service rules on every node? Its DaemonSet's pods must be Ready everywhere, and each one's
 * {@code /healthz} (port 10256 on the node) answers 503 when it has not synced its rules for too long (its
 * lastUpdated against its own currentTime, so clocks cannot mislead). The proxy mode from the kube-proxy ConfigMap
 * goes into the evidence: iptables (the default), ipvs or nftables decide which tools show the rules on the node.
 * Whether the rules themselves are on a node needs the node: with {@code node} set ({@code local:} or
 * {@code ssh://}, the host checks' transport, with iptables-rules' privilege rules) one {@code iptables-save -c} of it
 * is compared with the Services that have ready endpoints ({@link ServiceRules}); iptables mode only.
 */
public final class KubeProxyHealth extends DescribedCheck<KubeProxyFacts> {
    public static final String ID = "k8s-kube-proxy";
    static final String NOTE = "kubernetes/networking";
    /** Go's time.Time.String(): {@code 2026-12-05 00:31:02.123456789 +0000 UTC m=+3600.000000001}. */
    private static final Pattern GO_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?) ([+-]\\d{2})(\\d{2})");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("healthz", ParameterType.BOOLEAN, "true", "GET each node's kube-proxy /healthz on its "
                    + "InternalIP (needs a route to the nodes: run opsdoc in the cluster or on a node)"),
            new ParameterSpec("healthz-port", ParameterType.INTEGER, "10256", "kube-proxy's --healthz-bind-address port"),
            new ParameterSpec("healthz-timeout", ParameterType.DURATION, "2s", "per node; nodes that do not answer in "
                    + "time are counted, not reported as unhealthy"),
            new ParameterSpec("node", ParameterType.STRING, "", "also read one node's nat rules (iptables mode): local: "
                    + "when opsdoc runs on the node, or ssh://user@node; empty: not checked (SERVICE_RULES_MISSING "
                    + "needs it). The node's SSH key passphrase, if any, is the check's password"),
            new ParameterSpec("sudo", ParameterType.BOOLEAN, "false", "with node: run sudo -n /usr/sbin/iptables-save -c "
                    + "(the one sudoers rule opsdoc grants prints); otherwise opsdoc needs CAP_NET_ADMIN on the node"),
            new ParameterSpec("netns", ParameterType.STRING, "", "with node=local: only: read the rules of this named "
                    + "network namespace (ip netns exec NAME); empty: the namespace opsdoc runs in"),
            new ParameterSpec("confirm-after", ParameterType.DURATION, "2s", "when a Service has no rule, read the rules "
                    + "again after this long and report only what is still missing (kube-proxy writes new rules "
                    + "within about a second); 0 reads once"));

    private static final List<GrantSet> GRANTS = KubeGrants.withNodeGrants(List.of(
            KubeGrants.clusterRole(ID, "Reads the kube-proxy DaemonSet, its pods, and the nodes (InternalIP for /healthz); "
                    + "with node set, also the Services and EndpointSlices (which Services need a rule).",
                    new KubeGrants.Rule("", List.of("pods", "nodes", "services")),
                    new KubeGrants.Rule("apps", List.of("daemonsets")),
                    new KubeGrants.Rule("discovery.k8s.io", List.of("endpointslices"))),
            KubeGrants.namedRole(ID + "-config", KubeProxyCollector.NAMESPACE, "Reads the proxy mode from kube-proxy's "
                    + "ConfigMap.", "", "configmaps", List.of(KubeProxyCollector.NAME))),
            HostAccess.iptablesSaveGrants(ID, "only with --set node=, once on that node, to compare the nat "
                    + "table's KUBE-SERVICES rules with the Services"));

    public KubeProxyHealth() {
        super(ID, KubeTarget.SCHEME, "Is kube-proxy Ready on every Kubernetes node and are its Service rules fresh (/healthz)?",
                KubeProxyFacts.class, PARAMETERS, HostAccess.codesWith(KubeProxyCode.class), GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public void validate(Target target, io.opsdoc.core.Parameters p) {
        validate(target);
        String node = p.string("node").strip();
        if (!node.isEmpty()) {
            HostAccess.hostParameter("node", node);
        }
        if (!p.string("netns").strip().isEmpty() && !node.startsWith("local:")) {
            throw new UsageException("netns is for node=local: only; over ssh:// the rules are those of the namespace "
                    + "the SSH server runs in");
        }
    }

    @Override
    public KubeProxyFacts collect(CheckContext context) throws Exception {
        return KubeProxyCollector.collect(context);
    }

    @Override
    public void evaluate(KubeProxyFacts facts, Parameters p, Evaluation.Builder out) {
        DaemonSetState ds = facts.daemonSet();
        if (ds == null) {
            return; // no kube-proxy DaemonSet: another component (Cilium, kube-router) implements Services here
        }
        String mode = facts.mode() == null ? "unknown (no ConfigMap kube-system/kube-proxy)"
                : facts.mode().isEmpty() ? "iptables (default)" : facts.mode();
        out.metric(new Metric("kube_proxy_pods_ready", ds.ready(), "", Map.of(), null, (double) ds.desired()));
        List<DaemonPod> notReady = ds.notReady();
        List<String> missing = ds.nodesWithoutPod(facts.nodes());
        if (ds.ready() < ds.desired() || !notReady.isEmpty() || !missing.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!notReady.isEmpty()) {
                parts.add("not Ready: " + notReady.stream().map(DaemonPod::describe).collect(Collectors.joining(", ")));
            }
            if (!missing.isEmpty()) {
                parts.add("no kube-proxy pod on " + String.join(", ", missing));
            }
            out.finding(KUBE_PROXY_UNHEALTHY, Severity.CRITICAL, "kube-proxy (" + ds.id() + ", mode " + mode + "): "
                    + ds.ready() + " of " + ds.desired() + " pods Ready; " + String.join("; ", parts) + ". On those nodes "
                    + "Service IPs stop following endpoints: new Services and changed endpoints are not programmed; "
                    + "read its log (kubectl -n kube-system logs POD --previous)",
                    Evidence.of("daemonset", ds.id(), "mode", mode, "desired", ds.desired(), "ready", ds.ready(),
                            "not_ready", notReady.stream().map(DaemonPod::describe).collect(Collectors.joining(", ")),
                            "nodes_without_pod", String.join(", ", missing)), ds.id());
        }
        int answered = 0;
        int unanswered = 0;
        for (Healthz h : facts.healthz()) {
            if (h.status() == 0) {
                unanswered++;
                continue;
            }
            answered++;
            Duration behind = behind(h);
            if (behind != null) {
                out.metric(new Metric("kube_proxy_sync_age_seconds", behind.toMillis() / 1000.0, "s",
                        Map.of("node", h.node()), null, null));
            }
            if (h.status() == 200 || Boolean.FALSE.equals(h.nodeEligible())) {
                continue; // nodeEligible false: 503 on purpose, the node is being deleted and load balancers should drain it
            }
            out.finding(KUBE_PROXY_UNHEALTHY, Severity.CRITICAL, "kube-proxy on " + h.node() + " answers /healthz "
                    + h.status() + (behind == null ? "" : ": its rules were last synced at " + h.lastUpdated()
                            + ", " + Durations.human(behind) + " before its current time") + ". It is running but not "
                    + "keeping Service rules current (mode " + mode + "), often because it cannot watch the API server "
                    + "or its iptables/ipvs calls fail; read its log on that node. External load balancers using this "
                    + "health check stop sending traffic to the node",
                    Evidence.of("node", h.node(), "address", h.address(), "status", h.status(), "lastUpdated",
                            h.lastUpdated(), "currentTime", h.currentTime(), "behind_s", behind == null ? null
                                    : behind.toSeconds(), "mode", mode), h.node());
        }
        nodeRules(facts, mode, out);
        out.metric(new Metric("kube_proxy_healthz_answered", answered, "", Map.of(), null, null));
        out.metric(new Metric("kube_proxy_healthz_unanswered", unanswered + facts.nodesWithoutAddress(), "", Map.of(), null, null));
    }

    /** SERVICE_RULES_MISSING: usable Service ports with no nat KUBE-SERVICES rule in every read of the node. */
    private static void nodeRules(KubeProxyFacts facts, String mode, Evaluation.Builder out) {
        KubeProxyFacts.NodeRules r = facts.nodeRules();
        if (r == null || r.skipped() != null) {
            return;
        }
        List<KubeProxyFacts.ServicePort> usable = r.servicePorts().stream().filter(KubeProxyFacts.ServicePort::usable)
                .toList();
        List<KubeProxyFacts.ServicePort> missing = ServiceRules.missingInAll(r);
        int rules = r.samples().get(r.samples().size() - 1).size();
        out.metric(new Metric("kube_proxy_service_ports_expected", usable.size(), "", Map.of("node", r.node()), null, null));
        out.metric(new Metric("kube_proxy_service_ports_without_rule", missing.size(), "", Map.of("node", r.node()), null,
                null));
        if (missing.isEmpty()) {
            return;
        }
        List<String> named = missing.stream().map(KubeProxyFacts.ServicePort::describe).toList();
        String list = named.size() > 10 ? String.join(", ", named.subList(0, 10)) + " and " + (named.size() - 10)
                + " more" : String.join(", ", named);
        boolean none = rules == 0;
        out.finding(SERVICE_RULES_MISSING, Severity.CRITICAL, missing.size() + " of " + usable.size() + " Service "
                + "ports with ready endpoints have no rule in the nat table's KUBE-SERVICES chain on " + r.node() + ": "
                + list + ". Pods on this node (and NodePort traffic through it) cannot reach them by cluster IP "
                + (none ? "(the chain is empty or absent: kube-proxy has not programmed this node, or the table was "
                        + "flushed)" : "(kube-proxy did not write them, or something deleted them after it did)")
                + "; read kube-proxy's log on this node, and restart its pod to rewrite every rule (mode " + mode + ")",
                Evidence.of("node", r.node(), "mode", mode, "missing", String.join(", ", named), "missing_count",
                        missing.size(), "expected", usable.size(), "kube_services_rules", rules, "reads",
                        r.samples().size(), "ipv6_ports_not_checked", r.ipv6Skipped()));
    }

    /** currentTime minus lastUpdated, both from kube-proxy's clock; null when either is missing or unreadable. */
    static Duration behind(Healthz h) {
        Instant last = goTime(h.lastUpdated());
        Instant now = goTime(h.currentTime());
        return last == null || now == null ? null : Duration.between(last, now);
    }

    static Instant goTime(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = GO_TIME.matcher(s);
        if (!m.find()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(m.group(1) + "T" + m.group(2) + m.group(3) + ":" + m.group(4)).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
