package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.WorkloadCode.*;

import io.opsdoc.checks.kubernetes.WorkloadFacts.Cond;
import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerSpec;
import io.opsdoc.checks.kubernetes.WorkloadFacts.ContainerState;
import io.opsdoc.checks.kubernetes.WorkloadFacts.PodState;
import io.opsdoc.checks.kubernetes.WorkloadFacts.Workload;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Does every application have the pods it asked for, and if not, why? Deployments, StatefulSets and DaemonSets with
 * fewer available replicas than desired (none at all is a page), pods in CrashLoopBackOff or restarting often,
 * image pulls that fail, pods no node can take, OOM-killed containers, BestEffort pods and serving containers
 * without probes. Findings are per workload ({@code namespace/Kind/name}), so they stay stable while pods come and
 * go. Like every check here, this class never touches Fabric8 ({@link WorkloadCollector} does the I/O).
 */
public final class WorkloadHealth extends DescribedCheck<WorkloadFacts> {
    public static final String ID = "k8s-workloads";
    static final String NOTE = "kubernetes/workloads";

    private static final Set<String> PULL_FAILURES = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("restarts", ParameterType.INTEGER, "4",
                    "a container restarted more than this many times, the last time within restart-window, is RESTARTING_OFTEN"),
            new ParameterSpec("restart-window", ParameterType.DURATION, "2m",
                    "how recent the last restart must be for RESTARTING_OFTEN"),
            new ParameterSpec("critical-selector", ParameterType.STRING, "",
                    "pods whose labels match this equality selector (app=payments or tier=critical,team=core) must be QoS "
                            + "Guaranteed; empty: not judged"),
            new ParameterSpec("creating-timeout", ParameterType.DURATION, "10m",
                    "a pod bound to a node for longer than this with a container still in ContainerCreating is "
                            + "STUCK_CREATING (image pulls of large images happen within ContainerCreating too)"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists pods, Deployments, StatefulSets and DaemonSets (all namespaces, or the one given).",
            new KubeGrants.Rule("", List.of("pods")),
            new KubeGrants.Rule("apps", List.of("deployments", "statefulsets", "daemonsets"))));

    public WorkloadHealth() {
        super(ID, KubeTarget.SCHEME, "Does every Kubernetes workload have the replicas it wants? If not: crash loops, image pulls, scheduling, OOM",
                WorkloadFacts.class, PARAMETERS, WorkloadCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public WorkloadFacts collect(CheckContext context) throws Exception {
        return WorkloadCollector.collect(context);
    }

    @Override
    public void evaluate(WorkloadFacts facts, Parameters p, Evaluation.Builder out) {
        Instant now = facts.observedAt();
        Map<String, List<PodState>> podsByWorkload = new TreeMap<>();
        for (PodState pod : facts.pods()) {
            podsByWorkload.computeIfAbsent(pod.workloadKey(), k -> new ArrayList<>()).add(pod);
        }
        int degraded = 0;
        for (Workload w : facts.workloads()) {
            degraded += replicas(w, podsByWorkload.getOrDefault(w.key(), List.of()), now, out) ? 1 : 0;
            probes(w, out);
            memoryLimit(w, out);
        }
        int crashing = 0;
        for (Map.Entry<String, List<PodState>> e : podsByWorkload.entrySet()) {
            List<PodState> pods = e.getValue().stream().filter(x -> !x.terminating()).toList();
            if (pods.isEmpty()) {
                continue;
            }
            crashing += crashLoop(e.getKey(), pods, now, out);
            restartingOften(e.getKey(), pods, now, p, out);
            imagePull(e.getKey(), pods, out);
            unschedulable(e.getKey(), pods, now, out);
            stuckCreating(e.getKey(), pods, now, p, out);
            StartupProbes.evaluate(e.getKey(), label(e.getKey()), pods, now, out);
            CriticalQos.evaluate(e.getKey(), label(e.getKey()), pods, p, out);
            oomKilled(e.getKey(), pods, now, out);
            bestEffort(e.getKey(), pods, out);
        }
        out.metric(Metric.of("workloads", facts.workloads().size(), ""));
        out.metric(Metric.of("workloads_degraded", degraded, ""));
        out.metric(Metric.of("pods", facts.pods().size(), ""));
        out.metric(Metric.of("containers_crashlooping", crashing, ""));
    }

    private static String pods(long n) {
        return n == 1 ? "1 pod" : n + " pods";
    }

    private static String are(long n) {
        return n == 1 ? " is" : " are";
    }

    private static String label(String key) {
        String[] parts = key.split("/", 3);
        return parts[1] + " " + parts[0] + "/" + parts[2];
    }

    /** @return whether the workload has fewer available replicas than desired */
    private static boolean replicas(Workload w, List<PodState> pods, Instant now, Evaluation.Builder out) {
        int available = w.available() == null ? 0 : w.available();
        int ready = w.ready() == null ? 0 : w.ready();
        if (w.desired() <= 0 || available >= w.desired()) {
            return false;
        }
        Evidence e = Evidence.of("desired", w.desired(), "ready", ready, "available", available);
        Cond avail = w.condition("Available");
        Cond progressing = w.condition("Progressing");
        if (progressing != null) {
            e.put("Progressing", progressing.status() + "/" + progressing.reason());
        }
        String why = podSummary(pods);
        if (!why.isEmpty()) {
            e.put("pods", why);
        }
        if (available == 0) {
            out.finding(NO_REPLICAS_AVAILABLE, Severity.CRITICAL, label(w.key()) + " has 0 of " + w.desired()
                    + " replicas available: the application is down"
                    + (avail != null && avail.lastTransitionTime() != null && "False".equals(avail.status())
                            ? " (unavailable since " + avail.lastTransitionTime() + ", " + Durations.since(avail.lastTransitionTime(), now) + ")" : "")
                    + (why.isEmpty() ? "" : "; its pods: " + why) + ". Start with the pods' state: kubectl describe pod, "
                    + "kubectl logs --previous", e, w.key());
            return true;
        }
        boolean generationPending = w.generation() != null && w.observedGeneration() != null
                && w.observedGeneration() < w.generation();
        boolean stuck = progressing != null && "False".equals(progressing.status())
                && "ProgressDeadlineExceeded".equals(progressing.reason());
        boolean rollingOut = !stuck && (generationPending || (w.updated() != null && w.updated() < w.desired())
                || (progressing != null && "True".equals(progressing.status())
                        && Set.of("ReplicaSetUpdated", "NewReplicaSetCreated", "FoundNewReplicaSet").contains(progressing.reason())));
        String summary = label(w.key()) + " has " + available + " of " + w.desired() + " replicas available"
                + (stuck ? ": its rollout is stuck (ProgressDeadlineExceeded); kubectl rollout status / rollout undo"
                        : rollingOut ? " while a rollout is in progress: expected for now, a problem if it persists"
                                : ": some pods are not Ready and no rollout explains it")
                + (why.isEmpty() ? "" : "; its pods: " + why);
        out.finding(REPLICAS_BELOW_DESIRED, rollingOut ? Severity.INFO : Severity.WARNING, summary, e, w.key());
        return true;
    }

    /** "2 CrashLoopBackOff, 1 not Ready" for the pods of one workload. */
    private static String podSummary(List<PodState> pods) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PodState pod : pods) {
            String state = null;
            for (ContainerState c : pod.statuses()) {
                if (c.waitingReason() != null && !"ContainerCreating".equals(c.waitingReason())) {
                    state = c.waitingReason();
                    break;
                }
            }
            if (state == null) {
                Cond scheduled = pod.condition("PodScheduled");
                Cond ready = pod.condition("Ready");
                if (scheduled != null && "False".equals(scheduled.status())) {
                    state = "Pending (" + scheduled.reason() + ")";
                } else if (pod.terminating()) {
                    state = "Terminating";
                } else if (ready == null || !"True".equals(ready.status())) {
                    state = "not Ready";
                }
            }
            if (state != null) {
                counts.merge(state, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "));
    }

    /** Containers of one workload matching a rule, with the pods they are in. */
    private record Hit(PodState pod, ContainerState container) {
    }

    private static List<Hit> hits(List<PodState> pods, Predicate<ContainerState> rule) {
        List<Hit> out = new ArrayList<>();
        for (PodState pod : pods) {
            for (ContainerState c : pod.statuses()) {
                if (rule.test(c)) {
                    out.add(new Hit(pod, c));
                }
            }
        }
        return out;
    }

    private static String containerNames(List<Hit> hits) {
        return hits.stream().map(h -> h.container().name()).distinct().collect(Collectors.joining(", "));
    }

    private static int crashLoop(String key, List<PodState> pods, Instant now, Evaluation.Builder out) {
        List<Hit> hits = hits(pods, c -> "CrashLoopBackOff".equals(c.waitingReason()));
        if (hits.isEmpty()) {
            return 0;
        }
        Hit worst = hits.stream().max((a, b) -> Integer.compare(a.container().restartCount(), b.container().restartCount())).get();
        ContainerState c = worst.container();
        long podsHit = hits.stream().map(h -> h.pod().name()).distinct().count();
        String last = c.lastTerminatedReason() == null ? "" : "; the last run ended with " + c.lastTerminatedReason()
                + (c.lastExitCode() == null ? "" : " (exit code " + c.lastExitCode() + ")")
                + (c.lastFinishedAt() == null ? "" : " " + Durations.since(c.lastFinishedAt(), now) + " ago");
        String container = c.name().startsWith("init:") ? c.name().substring(5) : c.name();
        out.finding(CRASH_LOOP, Severity.WARNING, podsHit + " of " + pods(pods.size()) + " of " + label(key)
                + are(podsHit) + " in CrashLoopBackOff: container " + c.name() + " restarted " + c.restartCount() + " times" + last
                + ". Read why it exits: kubectl logs -n " + worst.pod().namespace() + " " + worst.pod().name() + " -c "
                + container + " --previous",
                Evidence.of("containers", containerNames(hits), "pods_crashlooping", podsHit, "restartCount", c.restartCount())
                        .putIfPresent("last_reason", c.lastTerminatedReason()).putIfPresent("last_exit_code", c.lastExitCode())
                        .putIfPresent("last_finished", c.lastFinishedAt()).put("example_pod", worst.pod().name()),
                key);
        return hits.size();
    }

    private static void restartingOften(String key, List<PodState> pods, Instant now, Parameters p, Evaluation.Builder out) {
        long threshold = p.integer("restarts");
        Duration window = p.duration("restart-window");
        List<Hit> hits = hits(pods, c -> !"CrashLoopBackOff".equals(c.waitingReason()) && c.restartCount() > threshold
                && c.lastFinishedAt() != null && Duration.between(c.lastFinishedAt(), now).compareTo(window) <= 0);
        if (hits.isEmpty()) {
            return;
        }
        Hit h = hits.get(0);
        ContainerState c = h.container();
        out.finding(RESTARTING_OFTEN, Severity.WARNING, "container " + c.name() + " of " + label(key) + " has restarted "
                + c.restartCount() + " times, the last time " + Durations.since(c.lastFinishedAt(), now) + " ago ("
                + c.lastTerminatedReason() + (c.lastExitCode() == null ? "" : ", exit code " + c.lastExitCode())
                + "): it runs now but keeps dying; kubectl logs -n " + h.pod().namespace() + " " + h.pod().name()
                + " --previous shows the last crash",
                Evidence.of("containers", containerNames(hits), "restartCount", c.restartCount(),
                        "last_finished", c.lastFinishedAt(), "restarts", threshold, "restart-window", p.raw().get("restart-window"))
                        .putIfPresent("last_reason", c.lastTerminatedReason()).putIfPresent("last_exit_code", c.lastExitCode())
                        .put("example_pod", h.pod().name()),
                key);
    }

    private static void imagePull(String key, List<PodState> pods, Evaluation.Builder out) {
        List<Hit> hits = hits(pods, c -> c.waitingReason() != null && PULL_FAILURES.contains(c.waitingReason()));
        if (hits.isEmpty()) {
            return;
        }
        Hit h = hits.get(0);
        ContainerState c = h.container();
        ContainerSpec spec = h.pod().spec(c.name());
        String image = spec != null && spec.image() != null ? spec.image() : c.image();
        String declared = spec == null ? null : spec.imagePullPolicy();
        String policy = declared != null ? declared : defaultPullPolicy(image);
        out.finding(IMAGE_PULL_FAILING, Severity.WARNING, "pods of " + label(key) + " cannot pull image " + image + " ("
                + c.waitingReason() + ", pull policy " + policy + (declared == null ? " by default" : "") + "): "
                + pullHint(c.waitingMessage()),
                Evidence.of("image", image, "imagePullPolicy", policy, "reason", c.waitingReason())
                        .putIfPresent("message", c.waitingMessage()).put("pods", hits.stream().map(x -> x.pod().name()).distinct().count()),
                key);
    }

    /** The kubelet's default: Always for :latest or no tag, IfNotPresent otherwise. */
    static String defaultPullPolicy(String image) {
        if (image == null || image.contains("@")) {
            return "IfNotPresent";
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    private static String pullHint(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("not found") || m.contains("manifest unknown")) {
            return "the registry has no such image or tag: check the spelling and that the build pushed it";
        }
        if (m.contains("unauthorized") || m.contains("denied") || m.contains("authentication") || m.contains("403")) {
            return "the registry refused the credentials: check imagePullSecrets and the secret's registry host";
        }
        if (m.contains("timeout") || m.contains("i/o") || m.contains("no such host") || m.contains("connection")) {
            return "the node cannot reach the registry: DNS, proxy or firewall from the node";
        }
        return "kubectl describe pod shows the kubelet's pull error in its events";
    }

    /**
     * Bound to a node (PodScheduled True) but a container still waits in ContainerCreating: the kubelet cannot build
     * the pod sandbox (CNI), mount a volume (a PVC attached elsewhere, a missing Secret or ConfigMap), or is still
     * pulling. The reason is in the pod's events, which this check does not read: the summary says where to look.
     */
    private static void stuckCreating(String key, List<PodState> pods, Instant now, Parameters p, Evaluation.Builder out) {
        java.time.Duration limit = p.duration("creating-timeout");
        List<PodState> stuck = new ArrayList<>();
        Instant oldest = null;
        for (PodState x : pods) {
            Cond scheduled = x.condition("PodScheduled");
            boolean creating = x.statuses().stream().anyMatch(c -> "ContainerCreating".equals(c.waitingReason()));
            if (!"Pending".equals(x.phase()) || !creating || scheduled == null || !"True".equals(scheduled.status())) {
                continue;
            }
            Instant since = scheduled.lastTransitionTime() != null ? scheduled.lastTransitionTime() : x.created();
            if (since != null && java.time.Duration.between(since, now).compareTo(limit) > 0) {
                stuck.add(x);
                oldest = oldest == null || since.isBefore(oldest) ? since : oldest;
            }
        }
        if (stuck.isEmpty()) {
            return;
        }
        PodState pod = stuck.get(0);
        String nodes = stuck.stream().map(PodState::nodeName).distinct().collect(Collectors.joining(", "));
        out.finding(STUCK_CREATING, Severity.WARNING, pods(stuck.size()) + " of " + label(key) + are(stuck.size())
                + " bound to " + nodes + " but still in ContainerCreating after " + Durations.since(oldest, now)
                + " (creating-timeout " + p.raw().get("creating-timeout") + "): the kubelet cannot finish the pod's "
                + "sandbox, network or volumes. The reason is in its events: kubectl -n " + pod.namespace() + " describe pod "
                + pod.name() + " (FailedCreatePodSandBox: the CNI on that node; FailedMount / FailedAttachVolume: a "
                + "volume, Secret or ConfigMap; Pulling for minutes: a large or slow image)",
                Evidence.of("pods_stuck", stuck.size(), "example_pod", pod.name(), "nodes", nodes, "since", oldest,
                        "creating-timeout", p.raw().get("creating-timeout")), key + "/creating");
    }

    private static void unschedulable(String key, List<PodState> pods, Instant now, Evaluation.Builder out) {
        List<PodState> stuck = pods.stream().filter(x -> "Pending".equals(x.phase())).filter(x -> {
            Cond c = x.condition("PodScheduled");
            return c != null && "False".equals(c.status()) && "Unschedulable".equals(c.reason());
        }).toList();
        if (stuck.isEmpty()) {
            return;
        }
        PodState pod = stuck.get(0);
        Cond c = pod.condition("PodScheduled");
        String message = c.message() == null ? "" : c.message();
        boolean resources = message.contains("Insufficient");
        Map<String, String> requests = new LinkedHashMap<>();
        for (ContainerSpec s : pod.containers()) {
            if (!s.name().startsWith("init:") && s.requests() != null) {
                s.requests().forEach((k, v) -> requests.merge(k, v, (a, b) -> a + "+" + b));
            }
        }
        String req = requests.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).collect(Collectors.joining(", "));
        out.finding(UNSCHEDULABLE, Severity.WARNING, pods(stuck.size()) + " of " + label(key) + are(stuck.size()) + " Pending"
                + (c.lastTransitionTime() == null ? "" : " for " + Durations.since(c.lastTransitionTime(), now))
                + ": no node can take them (" + message + ")"
                + (resources ? "; no node has enough free resources for the requests (" + req + "): lower the requests, "
                        + "free capacity or add nodes" : "; taints, node selectors, affinity or volumes rule the nodes out"),
                Evidence.of("pods_pending", stuck.size(), "reason", c.reason(), "message", message)
                        .putIfPresent("requests", req).put("pending_since", c.lastTransitionTime()),
                key);
    }

    private static void oomKilled(String key, List<PodState> pods, Instant now, Evaluation.Builder out) {
        List<Hit> hits = hits(pods, c -> "OOMKilled".equals(c.lastTerminatedReason()) || "OOMKilled".equals(c.terminatedReason()));
        if (hits.isEmpty()) {
            return;
        }
        Hit h = hits.get(0);
        ContainerState c = h.container();
        ContainerSpec spec = h.pod().spec(c.name());
        String limit = spec == null || spec.limits() == null ? null : spec.limits().get("memory");
        out.finding(OOM_KILLED, Severity.WARNING, "container " + c.name() + " of " + label(key) + " was killed for "
                + "running out of memory (OOMKilled, exit code 137)"
                + (c.lastFinishedAt() == null ? "" : " " + Durations.since(c.lastFinishedAt(), now) + " ago")
                + (limit == null ? "; it has no memory limit, so the node itself ran out of memory"
                        : ": its memory limit " + limit + " is too small for what it does, or it leaks")
                + "; " + c.restartCount() + " restarts so far",
                Evidence.of("containers", containerNames(hits), "memory_limit", limit, "restartCount", c.restartCount())
                        .putIfPresent("last_finished", c.lastFinishedAt()).put("example_pod", h.pod().name()),
                key);
    }

    private static void bestEffort(String key, List<PodState> pods, Evaluation.Builder out) {
        List<PodState> be = pods.stream().filter(x -> "BestEffort".equals(x.qosClass()))
                .filter(x -> !"Succeeded".equals(x.phase()) && !"Failed".equals(x.phase())).toList();
        if (be.isEmpty()) {
            return;
        }
        out.finding(BESTEFFORT_POD, Severity.INFO, pods(be.size()) + " of " + label(key) + (be.size() == 1 ? " declares" : " declare") + " no CPU or memory "
                + "requests or limits (QoS BestEffort): the scheduler places them blind and the kubelet evicts them first "
                + "under node pressure; set requests (and a memory limit)",
                Evidence.of("qosClass", "BestEffort", "pods", be.size(), "example_pod", be.get(0).name()), key);
    }

    private static void probes(Workload w, Evaluation.Builder out) {
        List<ContainerSpec> serving = w.containers() == null ? List.of() : w.containers().stream()
                .filter(c -> !c.name().startsWith("init:")).filter(c -> c.ports() != null && !c.ports().isEmpty())
                .filter(c -> !c.readinessProbe() || !c.livenessProbe()).toList();
        if (serving.isEmpty()) {
            return;
        }
        ContainerSpec c = serving.get(0);
        List<String> missing = new ArrayList<>();
        if (!c.readinessProbe()) {
            missing.add("readiness");
        }
        if (!c.livenessProbe()) {
            missing.add("liveness");
        }
        out.finding(PROBES_MISSING, Severity.INFO, "container " + c.name() + " of " + label(w.key()) + " serves on port "
                + c.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " without a "
                + String.join(" or ", missing) + " probe"
                + (!c.readinessProbe() ? ": it receives traffic as soon as it starts, and keeps receiving it when it stops "
                        + "answering" : ": a hung process is never restarted"),
                Evidence.of("container", c.name(), "ports", c.ports().toString(), "readinessProbe", c.readinessProbe(),
                        "livenessProbe", c.livenessProbe(), "startupProbe", c.startupProbe()),
                w.key());
    }

    /**
     * INFO: a container that declares requests (so it is not BestEffort, which BESTEFFORT_POD reports) but no memory
     * limit can grow until the node runs short, and then the kubelet's eviction or the kernel's OOM killer picks
     * victims on the whole node, not just this container. Templates without any resources are BESTEFFORT_POD's case.
     */
    private static void memoryLimit(Workload w, Evaluation.Builder out) {
        List<ContainerSpec> uncapped = w.containers() == null ? List.of() : w.containers().stream()
                .filter(c -> !c.name().startsWith("init:"))
                .filter(c -> c.requests() != null && !c.requests().isEmpty())
                .filter(c -> c.limits() == null || !c.limits().containsKey("memory")).toList();
        if (uncapped.isEmpty()) {
            return;
        }
        ContainerSpec c = uncapped.get(0);
        String names = uncapped.stream().map(ContainerSpec::name).collect(Collectors.joining(", "));
        out.finding(NO_MEMORY_LIMIT, Severity.INFO, "container " + names + " of " + label(w.key()) + " requests "
                + c.requests() + " but has no memory limit: a leak grows until the node runs short of memory, and "
                + "then eviction or the kernel's OOM killer can hit any pod on that node, not just this one. Set "
                + "resources.limits.memory (equal to the request for a Guaranteed pod)",
                Evidence.of("containers", names, "requests", c.requests().toString(), "limits",
                        c.limits() == null || c.limits().isEmpty() ? "none" : c.limits().toString()), w.key() + "/memory-limit");
    }
}
