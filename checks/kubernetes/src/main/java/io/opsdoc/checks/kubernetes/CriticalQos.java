package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerSpec;
import io.opsdoc.checks.kubernetes.WorkloadFacts.PodState;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * CRITICAL_WORKLOAD_NOT_GUARANTEED of {@code k8s-workloads}: which workloads are critical only the operator knows, so
 * they name them with an equality label selector ({@code critical-selector}); their running pods must be QoS
 * Guaranteed (requests equal to limits for CPU and memory in every container), the class node-pressure eviction
 * reaches last.
 */
final class CriticalQos {
    private CriticalQos() {
    }

    /** {@code a=b,c=d} as a map; empty string: empty map (nothing is critical). */
    static Map<String, String> selector(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || part.indexOf("!=") >= 0) {
                throw new UsageException("critical-selector takes key=value pairs separated by commas, not '" + part.trim() + "'");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).replaceFirst("^=", "").trim());
        }
        return out;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector.isEmpty() || labels == null) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    static void evaluate(String key, String label, List<PodState> pods, Parameters p, Evaluation.Builder out) {
        List<PodState> weak = pods.stream().filter(PodState::critical)
                .filter(x -> !"Succeeded".equals(x.phase()) && !"Failed".equals(x.phase()))
                .filter(x -> x.qosClass() != null && !"Guaranteed".equals(x.qosClass())).toList();
        if (weak.isEmpty()) {
            return;
        }
        PodState pod = weak.get(0);
        String unequal = pod.containers() == null ? "" : pod.containers().stream().filter(c -> !c.name().startsWith("init:"))
                .filter(c -> !guaranteed(c)).map(c -> c.name() + " (requests " + c.requests() + ", limits " + c.limits() + ")")
                .collect(Collectors.joining("; "));
        out.finding(WorkloadCode.CRITICAL_WORKLOAD_NOT_GUARANTEED, Severity.WARNING, weak.size() + " pod(s) of " + label
                + " match critical-selector " + p.raw().get("critical-selector") + " but are QoS " + pod.qosClass()
                + ": under node memory pressure the kubelet evicts them before Guaranteed pods. Set requests equal to "
                + "limits for CPU and memory in every container" + (unequal.isEmpty() ? "" : ": " + unequal),
                Evidence.of("qosClass", pod.qosClass(), "pods", weak.size(), "example_pod", pod.name(), "containers", unequal,
                        "critical-selector", p.raw().get("critical-selector")), key + "/qos");
    }

    private static boolean guaranteed(ContainerSpec c) {
        if (c.requests() == null || c.limits() == null) {
            return false;
        }
        for (String r : List.of("cpu", "memory")) {
            String limit = c.limits().get(r);
            String request = c.requests().getOrDefault(r, limit);
            if (limit == null || Quantities.value(limit).compareTo(Quantities.value(request)) != 0) {
                return false;
            }
        }
        return true;
    }
}
