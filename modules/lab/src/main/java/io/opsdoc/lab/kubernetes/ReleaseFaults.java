package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.appContainer;
import static io.opsdoc.lab.kubernetes.KubeObjects.defaultTolerations;
import static io.opsdoc.lab.kubernetes.KubeObjects.deployment;
import static io.opsdoc.lab.kubernetes.KubeObjects.pod;
import static io.opsdoc.lab.kubernetes.KubeObjects.runningStatus;
import static io.opsdoc.lab.kubernetes.KubeObjects.suffix;
import static io.opsdoc.lab.kubernetes.KubernetesLab.APP_NAMESPACE;
import static io.opsdoc.lab.kubernetes.KubernetesLab.NODES;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Release settings an SRE would question, written as {@code kubectl get deploy -o yaml} shows them on a real cluster
 * (the API server's defaults filled in: {@code progressDeadlineSeconds: 600}, {@code revisionHistoryLimit: 10},
 * {@code imagePullPolicy} defaulted from the tag), with their pods running: Deployment strategies and probes for
 * k8s-rollout-safety, image references and pull policies for k8s-image-policy. Every workload is healthy at the
 * moment: the danger is in the next rollout or the next node that pulls.
 */
public final class ReleaseFaults {
    private final KubernetesLab lab;

    ReleaseFaults(KubernetesLab lab) {
        this.lab = lab;
    }

    /** Deployment {@code shop/frontend}, 4 replicas, {@code strategy: {type: Recreate}} (no rollingUpdate block, as the API requires). */
    public void recreateMultiReplica() {
        release("frontend", "6b7c8d9e0", 4, d -> recreate(d), app("frontend", "registry.example.com/shop/frontend:3.2.0"));
    }

    /** Deployment {@code shop/grafana}, 1 replica, Recreate because its pod mounts a ReadWriteOnce volume claim. */
    public void recreateSingleWithVolume() {
        release("grafana", "7c8d9e0f1", 1, d -> {
            recreate(d);
            d.getSpec().getTemplate().getSpec().setVolumes(List.of(new VolumeBuilder().withName("data")
                    .withNewPersistentVolumeClaim().withClaimName("grafana-data").endPersistentVolumeClaim().build()));
        }, app("grafana", "docker.io/grafana/grafana:11.3.0"));
    }

    /** Deployment {@code shop/legacy-api}, 3 replicas, rolling update, no readiness probe and minReadySeconds 0. */
    public void noReadinessProbe(int minReadySeconds) {
        release("legacy-api", "8d9e0f1a2", 3, d -> d.getSpec().setMinReadySeconds(minReadySeconds == 0 ? null : minReadySeconds),
                appContainer("legacy-api", "registry.example.com/shop/legacy-api:2.9.4", false));
    }

    /** Deployment {@code shop/checkout-v2}, 4 replicas, rollingUpdate with maxUnavailable {@code value} (e.g. "100%" or 4). */
    public void maxUnavailable(String value) {
        release("checkout-v2", "9e0f1a2b3", 4, d -> d.getSpec().getStrategy().getRollingUpdate()
                .setMaxUnavailable(value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value))),
                app("checkout-v2", "registry.example.com/shop/checkout:5.0.2"));
    }

    /** Deployment {@code shop/search}, 1 replica, default rolling update (25 %: the old pod stays until the new one is Ready). */
    public void singleReplica() {
        release("search", "0f1a2b3c4", 1, d -> { }, app("search", "registry.example.com/shop/search:1.8.0"));
    }

    /** Deployment {@code shop/ledger}, 3 replicas, progressDeadlineSeconds 86400 (one day). */
    public void longProgressDeadline() {
        release("ledger", "1a2b3c4d5", 3, d -> d.getSpec().setProgressDeadlineSeconds(86_400),
                app("ledger", "registry.example.com/shop/ledger:7.1.0"));
    }

    /** Deployment {@code shop/admin}, 2 replicas of {@code registry.example.com/shop/admin:latest}, pull policy defaulted to Always. */
    public void latestTag() {
        Container c = app("admin", "registry.example.com/shop/admin:latest");
        c.setImagePullPolicy("Always");
        release("admin", "2b3c4d5e6", 2, d -> { }, c);
    }

    /**
     * Deployment {@code shop/importer}: its init container {@code wait-for-db} runs {@code busybox} with no tag
     * (pull policy defaulted to Always); the app container is pinned to a version.
     */
    public void untaggedInitContainer() {
        Container init = new ContainerBuilder().withName("wait-for-db").withImage("busybox").withImagePullPolicy("Always")
                .withCommand("sh", "-c", "until nc -z db 5432; do sleep 2; done").build();
        release("importer", "3c4d5e6f7", 1, d -> d.getSpec().getTemplate().getSpec().setInitContainers(List.of(init)),
                app("importer", "registry.example.com/shop/importer:1.2.0"));
    }

    /** Deployment {@code shop/edge-cache}, 2 replicas, image side-loaded on the nodes and {@code imagePullPolicy: Never}. */
    public void pullPolicyNever() {
        Container c = app("edge-cache", "edge-cache:2.3.1");
        c.setImagePullPolicy("Never");
        release("edge-cache", "4d5e6f7a8", 2, d -> { }, c);
    }

    /** Deployment {@code payments/ledger} in its own namespace, image referenced by digest only. */
    public void pinnedByDigest() {
        String image = "registry.example.com/payments/ledger@sha256:"
                + "3f0d6b1c9a7e5d4c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c";
        Instant created = Instant.now().minus(2, ChronoUnit.DAYS);
        Deployment d = deployment("ledger", 2, 2, 2, created, true, image);
        d.getMetadata().setNamespace("payments");
        defaults(d);
        lab.put(d);
        for (int i = 0; i < 2; i++) {
            var p = pod("payments", "ledger-5e6f7a8b9-" + suffix(i), "ReplicaSet", "ledger-5e6f7a8b9", "5e6f7a8b9",
                    NODES.get(1 + i % 2), created, List.of(appContainer("ledger", image, true)),
                    List.of(status("ledger", image, created)), "Running", true, defaultTolerations());
            lab.put(p);
        }
    }

    /**
     * Writes a manifest as it sits in a repository before {@code kubectl apply} (no status, no API defaults) into the
     * lab's directory and returns its path: {@code risky} holds Service and Deployment {@code shop/api} (3 replicas,
     * Recreate) and Deployment {@code worker} without namespace (4 replicas, maxUnavailable 100%, no probes);
     * {@code safe} holds Deployment {@code shop/api} with 3 replicas, the default strategy and a readiness probe.
     */
    public String manifest(String which) {
        String text = switch (which) {
            case "risky" -> """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: api
                      namespace: shop
                    spec:
                      selector:
                        app: api
                      ports:
                      - port: 80
                        targetPort: 8080
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: api
                      namespace: shop
                    spec:
                      replicas: 3
                      strategy:
                        type: Recreate
                      selector:
                        matchLabels:
                          app: api
                      template:
                        metadata:
                          labels:
                            app: api
                        spec:
                          containers:
                          - name: api
                            image: registry.example.com/shop/api:1.5.0
                            ports:
                            - containerPort: 8080
                            readinessProbe:
                              httpGet:
                                path: /ready
                                port: 8080
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: worker
                    spec:
                      replicas: 4
                      strategy:
                        rollingUpdate:
                          maxUnavailable: 100%
                      selector:
                        matchLabels:
                          app: worker
                      template:
                        metadata:
                          labels:
                            app: worker
                        spec:
                          containers:
                          - name: worker
                            image: registry.example.com/shop/worker:2.0.0
                    """;
            case "safe" -> """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: api
                      namespace: shop
                    spec:
                      replicas: 3
                      selector:
                        matchLabels:
                          app: api
                      template:
                        metadata:
                          labels:
                            app: api
                        spec:
                          containers:
                          - name: api
                            image: registry.example.com/shop/api:1.5.0
                            readinessProbe:
                              httpGet:
                                path: /ready
                                port: 8080
                    """;
            default -> throw new IllegalArgumentException("no manifest " + which + ": risky or safe");
        };
        return lab.writeFile("manifest-" + which + ".yaml", text).toString();
    }

    private static Container app(String name, String image) {
        return appContainer(name, image, true);
    }

    private static void recreate(Deployment d) {
        d.getSpec().setStrategy(new DeploymentStrategyBuilder().withType("Recreate").build());
    }

    /** The fields the API server defaults on create, which kubectl get -o yaml then shows. */
    private static void defaults(Deployment d) {
        d.getSpec().setProgressDeadlineSeconds(600);
        d.getSpec().setRevisionHistoryLimit(10);
    }

    /**
     * Puts Deployment {@code shop/<name>} (healthy, created 3 days ago) after {@code edit}, and its {@code replicas}
     * Running, Ready pods of ReplicaSet {@code <name>-<hash>} spread over the workers.
     */
    private void release(String name, String hash, int replicas, Consumer<Deployment> edit, Container main) {
        Instant created = Instant.now().minus(3, ChronoUnit.DAYS);
        Deployment d = deployment(name, replicas, replicas, replicas, created, true, main.getImage());
        defaults(d);
        d.getSpec().getTemplate().getSpec().setContainers(List.of(main));
        edit.accept(d);
        lab.put(d);
        var template = d.getSpec().getTemplate().getSpec();
        for (int i = 0; i < replicas; i++) {
            List<ContainerStatus> statuses = new ArrayList<>();
            statuses.add(status(main.getName(), main.getImage(), created));
            var p = pod(APP_NAMESPACE, name + "-" + hash + "-" + suffix(i), "ReplicaSet", name + "-" + hash, hash,
                    NODES.get(1 + i % 2), created, template.getContainers(), statuses, "Running", true, defaultTolerations());
            p.getSpec().setInitContainers(template.getInitContainers());
            p.getSpec().setVolumes(template.getVolumes());
            lab.put(p);
        }
    }

    private static ContainerStatus status(String name, String image, Instant since) {
        ContainerStatus s = runningStatus(name, image, 0, since);
        // the kubelet reports the digest it actually started, whatever the spec referenced
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image.replaceFirst(":[^:/]+$", "");
        return new ContainerStatusBuilder(s).withImageID(repo + "@sha256:"
                + "9b2e4f6a8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f").build();
    }
}
