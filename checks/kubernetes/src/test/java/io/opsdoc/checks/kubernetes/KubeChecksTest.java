package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.GrantSet;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What holds for every Kubernetes check: registered, read-only RBAC identical to deploy/, no Fabric8 until collect(). */
class KubeChecksTest {
    private static final Path DEPLOY = Path.of("../../deploy/kubernetes/rbac.yaml");

    private static List<Check<?>> checks() {
        List<Check<?>> out = new ArrayList<>();
        ServiceLoader.load(Check.class).forEach(c -> {
            if (c.targetScheme().equals("k8s")) {
                out.add(c);
            }
        });
        return out;
    }

    @Test
    void theChecksAreRegistered() {
        assertThat(checks()).extracting(Check::id).containsExactlyInAnyOrder("k8s-node-notready", "k8s-workloads", "k8s-capacity", "k8s-control-plane",
                "k8s-service-endpoints", "k8s-hpa", "k8s-pod-terminating", "k8s-pod-probes", "k8s-drain-readiness", "k8s-version-support",
                "k8s-replica-spread", "k8s-rollout-safety", "k8s-image-policy", "k8s-cni", "k8s-kube-proxy");
    }

    @Test
    void grantsAreGetAndListOnlyAndDeployHasExactlyThem() throws Exception {
        String deploy = Files.readString(DEPLOY, StandardCharsets.UTF_8);
        for (Check<?> c : checks()) {
            // the grants on a node (k8s-kube-proxy's node=: CAP_NET_ADMIN or one sudoers rule; k8s-node-notready's
            // kubelet-host=: an ordinary user) are not RBAC
            for (GrantSet g : c.grants().stream().filter(g -> !g.flavor().startsWith("node ")).toList()) {
                for (String statement : g.statements()) {
                    assertThat(deploy).as("deploy/kubernetes/rbac.yaml holds the grants of " + c.id()).contains(statement);
                    statement.lines().filter(l -> l.contains("verbs:"))
                            .forEach(l -> assertThat(l.trim()).isIn("verbs: [\"get\", \"list\"]", "verbs: [\"get\"]"));
                    assertThat(statement).doesNotContain("secrets", "\"*\"");
                }
            }
        }
        assertThat(deploy).contains("kind: ServiceAccount", "name: opsdoc");
    }

    /**
     * Loads each check with a class loader that cannot see Fabric8 and uses everything but collect(): the CLI can
     * list, explain and grant without the client library, which loads only when a Kubernetes check runs.
     */
    @Test
    void checksLoadWithoutFabric8() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("fabric8") && !entry.contains("vertx") && !entry.contains("netty")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String name : List.of(NodeReadiness.class.getName(), WorkloadHealth.class.getName(), ClusterCapacity.class.getName(),
                    ControlPlaneHealth.class.getName(), ServiceEndpoints.class.getName(), HpaStatus.class.getName(),
                    PodTermination.class.getName(), PodProbes.class.getName(), DrainReadiness.class.getName(),
                    VersionSupport.class.getName(), ReplicaSpread.class.getName(), RolloutSafety.class.getName(),
                    ImagePolicy.class.getName(), CniHealth.class.getName(), KubeProxyHealth.class.getName())) {
                Class<?> cls = Class.forName(name, true, loader);
                Object check = cls.getConstructor().newInstance();
                for (String method : List.of("id", "title", "codes", "parameters", "grants", "factsType")) {
                    Method m = cls.getMethod(method);
                    assertThat(m.invoke(check)).isNotNull();
                }
            }
            assertThat(loader.loadClass("io.opsdoc.checks.kubernetes.NodeFacts")).isNotNull();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.loadClass("io.fabric8.kubernetes.client.Config"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }
}
