package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.KubeProxyCode.KUBE_PROXY_UNHEALTHY;

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
 * Whether the rules themselves are on the node (KUBE-SVC chains, IPVS virtual servers) needs the node, not the API.
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
                    + "time are counted, not reported as unhealthy"));

    private static final List<GrantSet> GRANTS = List.of(
            KubeGrants.clusterRole(ID, "Reads the kube-proxy DaemonSet, its pods, and the nodes (InternalIP for /healthz).",
                    new KubeGrants.Rule("", List.of("pods", "nodes")), new KubeGrants.Rule("apps", List.of("daemonsets"))),
            KubeGrants.namedRole(ID + "-config", KubeProxyCollector.NAMESPACE, "Reads the proxy mode from kube-proxy's "
                    + "ConfigMap.", "", "configmaps", List.of(KubeProxyCollector.NAME)));

    public KubeProxyHealth() {
        super(ID, KubeTarget.SCHEME, "Is kube-proxy Ready on every Kubernetes node and are its Service rules fresh (/healthz)?",
                KubeProxyFacts.class, PARAMETERS, KubeProxyCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
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
        out.metric(new Metric("kube_proxy_healthz_answered", answered, "", Map.of(), null, null));
        out.metric(new Metric("kube_proxy_healthz_unanswered", unanswered + facts.nodesWithoutAddress(), "", Map.of(), null, null));
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
