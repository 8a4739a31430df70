package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.ControlPlaneCode.*;

import io.opsdoc.checks.kubernetes.ControlPlaneFacts.Endpoint;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.LeaderLease;
import io.opsdoc.checks.kubernetes.ControlPlaneFacts.ServingCertificate;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Is the API server ready and live, is etcd reachable from it, when does its serving certificate expire, and do
 * kube-controller-manager and kube-scheduler have a leader? Reads {@code /readyz?verbose} and {@code /livez?verbose}
 * (each named check, etcd among them), the certificate from the TLS handshake, the two leader Leases, and how many
 * control-plane nodes there are with their static pods ({@link StaticPods}).
 */
public final class ControlPlaneHealth extends DescribedCheck<ControlPlaneFacts> {
    public static final String ID = "k8s-control-plane";
    static final String NOTE = "kubernetes/control-plane";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("cert-warning", ParameterType.DURATION, "30d", "warn when the serving certificate expires within this"),
            new ParameterSpec("cert-critical", ParameterType.DURATION, "7d", "critical when it expires within this"),
            new ParameterSpec("lease-skew", ParameterType.DURATION, "5s", "clock difference allowed between a leader and "
                    + "opsdoc: a leader Lease has expired when its renewTime is older than leaseDurationSeconds plus this"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.nonResource(ID,
            "Reads /readyz and /livez (and /version). Default clusters already allow these to everyone through "
                    + "system:public-info-viewer; this role makes it explicit where that binding was removed.",
            List.of("/readyz", "/readyz/*", "/livez", "/livez/*", "/version")),
            KubeGrants.namedRole(ID + "-leases", ControlPlaneCollector.LEASE_NAMESPACE, "Reads the leader-election "
                    + "Leases of kube-controller-manager and kube-scheduler.", "coordination.k8s.io", "leases",
                    ControlPlaneCollector.LEADER_LEASES),
            KubeGrants.clusterRole(ID + "-nodes", "Lists the nodes labelled node-role.kubernetes.io/control-plane (or "
                    + "master) to count them.", new KubeGrants.Rule("", List.of("nodes"))),
            KubeGrants.namespacedRole(ID + "-static-pods", StaticPodCollector.NAMESPACE, "Lists the pods in kube-system "
                    + "on each control-plane node (field selector spec.nodeName) to find the static control-plane pods.",
                    new KubeGrants.Rule("", List.of("pods"))),
            KubeGrants.namedRole(ID + "-apiserver-endpoints", "default", "Reads the EndpointSlice default/kubernetes, "
                    + "which lists every live API server's address.", "discovery.k8s.io", "endpointslices",
                    List.of("kubernetes")));

    public ControlPlaneHealth() {
        super(ID, KubeTarget.SCHEME, "Is the Kubernetes API server ready and live, is etcd reachable, when does its certificate expire, do the controller manager and scheduler have a leader, and is the control plane redundant with its static pods Ready?",
                ControlPlaneFacts.class, PARAMETERS, ControlPlaneCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public ControlPlaneFacts collect(CheckContext context) throws Exception {
        return ControlPlaneCollector.collect(context);
    }

    @Override
    public void evaluate(ControlPlaneFacts facts, Parameters p, Evaluation.Builder out) {
        endpoint(facts.readyz(), APISERVER_NOT_READY, "not ready: it answers, but should not get traffic (load balancers "
                + "using /readyz take it out)", facts, out);
        endpoint(facts.livez(), APISERVER_NOT_LIVE, "not live: a kubelet or supervisor using /livez restarts it", facts, out);
        List<String> etcd = new ArrayList<>();
        for (Endpoint e : List.of(facts.readyz(), facts.livez())) {
            if (e != null) {
                e.failed().stream().filter(l -> l.startsWith("[-]etcd")).map(l -> e.path().replace("?verbose", "") + " " + l)
                        .forEach(etcd::add);
            }
        }
        if (!etcd.isEmpty()) {
            out.finding(ETCD_UNHEALTHY, Severity.CRITICAL, "the API server " + facts.serverUrl() + " cannot use etcd ("
                    + String.join("; ", etcd) + "): reads and writes of every object fail or hang; check the etcd members "
                    + "(etcdctl endpoint health --cluster), their disks, and the API server's --etcd-servers and client "
                    + "certificates", Evidence.of("failed", String.join("; ", etcd)), "etcd");
        }
        certificate(facts, p, out);
        if (facts.leases() != null) {
            for (LeaderLease l : facts.leases()) {
                LeaderLeases.evaluate(l, facts.observedAt(), p.duration("lease-skew"), out);
            }
        }
        StaticPods.evaluate(facts, out);
    }

    private static void endpoint(Endpoint e, ControlPlaneCode code, String meaning, ControlPlaneFacts facts, Evaluation.Builder out) {
        if (e == null || e.status() == 200) {
            return;
        }
        List<String> failed = e.failed();
        out.finding(code, Severity.CRITICAL, "the API server " + facts.serverUrl() + " is " + meaning + "; GET " + e.path()
                + " returned " + e.status() + (failed.isEmpty() ? "" : " with " + String.join(", ", failed)),
                Evidence.of("status", e.status(), "failed", failed.isEmpty() ? null : String.join("; ", failed)),
                e.path().replace("?verbose", ""));
    }

    private static void certificate(ControlPlaneFacts facts, Parameters p, Evaluation.Builder out) {
        ServingCertificate c = facts.certificate();
        if (c == null || c.notAfter() == null) {
            return;
        }
        Duration left = Duration.between(facts.observedAt(), c.notAfter());
        out.metric(new Metric("apiserver_cert_days_left", Math.floor(left.toHours() / 24.0), "", Map.of(),
                (double) p.duration("cert-warning").toDays(), (double) p.duration("cert-critical").toDays()));
        Evidence e = Evidence.of("subject", c.subject(), "issuer", c.issuer(), "not_after", c.notAfter());
        if (left.isNegative() || left.isZero()) {
            out.finding(CERT_EXPIRED, Severity.CRITICAL, "the API server's serving certificate (" + c.subject()
                    + ") expired on " + c.notAfter() + " (" + Durations.human(left.negated()) + " ago): clients that verify "
                    + "it (kubectl, kubelets, controllers) fail with x509 errors; renew it (kubeadm certs renew apiserver) "
                    + "and restart the API server", e, "serving-certificate");
            return;
        }
        Duration warn = p.duration("cert-warning");
        Duration crit = p.duration("cert-critical");
        if (left.compareTo(warn) <= 0) {
            boolean critical = left.compareTo(crit) <= 0;
            out.finding(CERT_EXPIRING, critical ? Severity.CRITICAL : Severity.WARNING, "the API server's serving "
                    + "certificate (" + c.subject() + ") expires on " + c.notAfter() + ", in " + Durations.human(left)
                    + ": renew it before then (kubeadm certs check-expiration; kubeadm certs renew apiserver), then "
                    + "restart the API server", e.put(critical ? "cert-critical" : "cert-warning",
                            p.raw().get(critical ? "cert-critical" : "cert-warning")), "serving-certificate");
        }
    }
}
