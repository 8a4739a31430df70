package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.defaultTolerations;
import static io.opsdoc.lab.kubernetes.KubeObjects.pod;
import static io.opsdoc.lab.kubernetes.KubeObjects.resources;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.ts;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResourceQuotas and the pods they count, written as the quota controller leaves them: {@code status.hard} mirrors
 * the spec, {@code status.used} is the sum over the namespace's non-terminal pods. Each fault fills namespace
 * {@value #BATCH} with small report pods (100m / 256Mi, 200m in {@link #nearLimit()}) so the totals hold by construction.
 */
public final class QuotaFaults {
    static final String BATCH = "batch";
    private final KubernetesLab lab;

    QuotaFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    /** The healthy cluster's quota on shop: web (3 x 250m / 256Mi) and db-0 (250m / 256Mi) well within it. */
    void healthy(Instant now) {
        lab.put(quota(APP_NAMESPACE, "compute", now, hard("8", "16Gi", "50"), used("1", "1Gi", "4")));
    }

    /** batch/batch-quota: 9 pods of 200m in a 2-CPU quota (requests.cpu 1800m of 2 = 90 %); pods 9 of 20. */
    public void nearLimit() {
        fill(9, "200m", hard("2", "8Gi", "20"));
    }

    /** batch/batch-quota: 10 pods under a limit of 10 pods (requests.cpu 1 of 4). */
    public void full() {
        fill(10, "100m", hard("4", "8Gi", "10"));
    }

    /** batch/batch-quota lowered from 20 pods to 8 while 10 run: the quota controller reports used 10 of hard 8. */
    public void exceeded() {
        fill(10, "100m", hard("4", "8Gi", "8"));
    }

    private void fill(int pods, String cpu, Map<String, String> hard) {
        Instant created = Instant.now().minus(2, ChronoUnit.HOURS);
        long millis = 0;
        for (int i = 0; i < pods; i++) {
            String image = "registry.example.com/batch/report-worker:2.0.4";
            var c = new ContainerBuilder().withName("worker").withImage(image).withImagePullPolicy("IfNotPresent")
                    .withResources(resources(cpu, "256Mi", cpu, "256Mi")).build();
            var p = pod(BATCH, "report-worker-6f7a8b9c0-" + String.format("%05d", i), "ReplicaSet",
                    "report-worker-6f7a8b9c0", "6f7a8b9c0", NODES.get(1 + i % 2), created, List.of(c),
                    List.of(runningStatus("worker", image, 0, created)), "Running", true, defaultTolerations());
            p.getStatus().setQosClass("Guaranteed");
            lab.put(p);
            millis += new Quantity(cpu).getNumericalAmount().movePointRight(3).longValue();
        }
        String usedCpu = millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
        lab.put(quota(BATCH, "batch-quota", created.minus(30, ChronoUnit.DAYS), hard,
                used(usedCpu, (256 * pods) + "Mi", String.valueOf(pods))));
    }

    private static Map<String, String> hard(String cpu, String memory, String pods) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pods", pods);
        m.put("requests.cpu", cpu);
        m.put("requests.memory", memory);
        return m;
    }

    private static Map<String, String> used(String cpu, String memory, String pods) {
        return hard(cpu, memory, pods);
    }

    private static ResourceQuota quota(String namespace, String name, Instant created, Map<String, String> hard,
            Map<String, String> used) {
        Map<String, Quantity> h = new LinkedHashMap<>();
        hard.forEach((k, v) -> h.put(k, new Quantity(v)));
        Map<String, Quantity> u = new LinkedHashMap<>();
        used.forEach((k, v) -> u.put(k, new Quantity(v)));
        return new ResourceQuotaBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withCreationTimestamp(ts(created)).endMetadata()
                .withNewSpec().withHard(h).endSpec()
                .withNewStatus().withHard(h).withUsed(u).endStatus().build();
    }
}
