package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerSpec;
import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerState;
import io.opsdoc.checks.kubernetes.WorkloadFacts.PodState;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.List;

/**
 * STARTUP_PROBE_FAILING of {@code k8s-workloads}: a container that declares a startup probe, reports
 * {@code started: false}, and has already been restarted. The kubelet sets {@code started} only once the startup
 * probe succeeds, and kills the container after failureThreshold × periodSeconds without success, so a restarted,
 * never-started container is one whose startup probe has not passed within its budget, at least once.
 */
final class StartupProbes {
    private StartupProbes() {
    }

    static void evaluate(String key, String label, List<PodState> pods, Instant now, Evaluation.Builder out) {
        for (PodState pod : pods) {
            for (ContainerState c : pod.statuses()) {
                ContainerSpec spec = pod.spec(c.name());
                if (spec == null || !spec.startupProbe() || !Boolean.FALSE.equals(c.started()) || c.restartCount() < 1) {
                    continue;
                }
                String last = c.lastTerminatedReason() == null ? "" : "; the last run ended " + c.lastTerminatedReason()
                        + (c.lastExitCode() == null ? "" : " with exit code " + c.lastExitCode()
                                + (c.lastExitCode() == 143 || c.lastExitCode() == 137 ? " (killed by the kubelet)" : ""));
                String now_ = c.runningSince() == null ? "" : "; the current run has not started either after "
                        + Durations.since(c.runningSince(), now);
                out.finding(WorkloadCode.STARTUP_PROBE_FAILING, Severity.WARNING, "container " + c.name() + " of " + label
                        + " (pod " + pod.name() + ") has never passed its startup probe: restarted " + c.restartCount()
                        + " times" + last + now_ + ". Either the application needs longer than failureThreshold x "
                        + "periodSeconds to start (raise failureThreshold) or the probe asks the wrong thing (path, port, "
                        + "scheme): kubectl -n " + pod.namespace() + " describe pod " + pod.name()
                        + " shows 'Startup probe failed' events with the answer it got",
                        Evidence.of("container", c.name(), "example_pod", pod.name(), "started", false, "restartCount",
                                c.restartCount()).putIfPresent("last_reason", c.lastTerminatedReason())
                                .putIfPresent("last_exit_code", c.lastExitCode()), key + "/startup");
                return;
            }
        }
    }
}
