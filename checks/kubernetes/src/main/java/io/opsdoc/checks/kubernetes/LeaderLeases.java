package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.ControlPlaneFacts.LeaderLease;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The leader-election half of {@code k8s-control-plane}: is a Lease in kube-system held by an instance that still
 * renews it? client-go's leader election renews every 2 s and gives up after the 10 s renew deadline; the Lease
 * counts as expired for the other instances after leaseDurationSeconds (15 s by default) without renewal, so a
 * renewTime older than that (plus the allowed clock skew) means nobody is doing that component's work.
 */
final class LeaderLeases {
    /** leaseDurationSeconds when the object carries none: the components' --leader-elect-lease-duration default. */
    static final int DEFAULT_DURATION_SECONDS = 15;

    private LeaderLeases() {
    }

    static void evaluate(LeaderLease l, Instant now, Duration skew, Evaluation.Builder out) {
        boolean scheduler = l.component().equals("kube-scheduler");
        ControlPlaneCode code = scheduler ? ControlPlaneCode.NO_LEADER_SCHEDULER : ControlPlaneCode.NO_LEADER_CONTROLLER_MANAGER;
        String work = scheduler ? "new pods stay Pending (nothing binds them to nodes)"
                : "no controller acts: Deployments do not roll or scale, nodes that stop reporting are not marked "
                        + "NotReady and their pods are not evicted, Endpoints do not follow pods";
        String where = ControlPlaneCollector.LEASE_NAMESPACE + "/" + l.component();
        if (!l.exists()) {
            out.finding(code, Severity.WARNING, "there is no Lease " + where + ": " + l.component() + " has never won a "
                    + "leader election on this cluster. Either it is not running (kubectl -n kube-system get pods -l "
                    + "component=" + l.component() + "), it runs with --leader-elect=false (one instance only, no Lease), "
                    + "or the control plane is managed and hides it", Evidence.of("lease", where, "exists", false), l.component());
            return;
        }
        int duration = l.leaseDurationSeconds() == null ? DEFAULT_DURATION_SECONDS : l.leaseDurationSeconds();
        Evidence e = Evidence.of("lease", where, "holder", l.holder() == null ? "" : l.holder(), "holder_node",
                node(l.holder()), "renew_time", l.renewTime(), "lease_duration_s", duration, "acquire_time",
                l.acquireTime(), "lease_transitions", l.leaseTransitions());
        if (l.renewTime() == null) {
            out.finding(code, Severity.CRITICAL, "Lease " + where + " carries no renewTime: no instance has renewed it, "
                    + "so " + work, e, l.component());
            return;
        }
        Duration age = Duration.between(l.renewTime(), now);
        Duration limit = Duration.ofSeconds(duration).plus(skew);
        boolean expired = age.compareTo(limit) > 0;
        e.put("renew_age_s", age.toSeconds()).put("lease-skew", skew.toSeconds() + "s");
        if (l.holder() == null || l.holder().isEmpty()) {
            // a released Lease is normal for the 2 s until a standby acquires it: only a lasting gap is a finding
            if (expired) {
                out.finding(code, Severity.CRITICAL, "Lease " + where + " has no holder: holderIdentity is empty since "
                        + l.renewTime() + " (" + Durations.human(age) + " ago), when the last leader released it on "
                        + "shutdown, and no other instance has taken it, so " + work + "; look for running "
                        + l.component() + " pods on the control-plane nodes (kubectl -n kube-system get pods -l component="
                        + l.component() + ", or crictl ps on each) and at their logs", e, l.component());
            }
            return;
        }
        out.metric(new Metric("leader_lease_age_seconds", Math.max(0, age.toMillis()) / 1000.0, "s",
                Map.of("component", l.component()), null, (double) limit.toSeconds()));
        if (expired) {
            out.finding(code, Severity.CRITICAL, l.component() + " has no working leader: Lease " + where + " is held by "
                    + l.holder() + " but was last renewed " + Durations.human(age) + " ago (at " + l.renewTime()
                    + "), longer than its leaseDurationSeconds " + duration + "s; the holder stopped renewing and no "
                    + "other instance took over, so " + work + ". Check " + l.component() + " on node " + node(l.holder())
                    + " (crictl ps; its log) and that it can reach the API server", e, l.component());
        }
    }

    /** kube-controller-manager and kube-scheduler write {@code <hostname>_<uuid>}: the part before the last '_'. */
    static String node(String holder) {
        if (holder == null || holder.isEmpty()) {
            return null;
        }
        int i = holder.lastIndexOf('_');
        return i > 0 ? holder.substring(0, i) : holder;
    }
}
