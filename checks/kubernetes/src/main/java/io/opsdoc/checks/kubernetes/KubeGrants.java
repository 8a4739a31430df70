package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.GrantSet;
import java.util.List;
import java.util.stream.Collectors;

/** The least RBAC a Kubernetes check needs: a ClusterRole with get/list on the resources it reads, bound to opsdoc's ServiceAccount. */
final class KubeGrants {
    static final String FLAVOR = "Kubernetes RBAC (apply with: opsdoc grants CHECK... | kubectl apply -f -)";
    static final String SERVICE_ACCOUNT = "opsdoc";
    static final String NAMESPACE = "opsdoc";

    /** One rule: these resources of one API group, read-only. */
    record Rule(String apiGroup, List<String> resources) {
    }

    private KubeGrants() {
    }

    /** A ClusterRole for non-resource URLs (health endpoints), get only. */
    /**
     * A check's RBAC followed by what it needs on a node it logs in to (a parameter naming local: or ssh://), those
     * flavors prefixed "node " so that they are told apart from RBAC (deploy/kubernetes/rbac.yaml holds only the RBAC).
     */
    static List<GrantSet> withNodeGrants(List<GrantSet> rbac, List<GrantSet> onNode) {
        List<GrantSet> all = new java.util.ArrayList<>(rbac);
        onNode.forEach(g -> all.add(new GrantSet("node " + g.flavor(), g.statements(), g.comment())));
        return List.copyOf(all);
    }

    static GrantSet nonResource(String checkId, String why, List<String> urls) {
        String name = "opsdoc-" + checkId;
        String role = "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: ClusterRole\n"
                + "metadata:\n"
                + "  name: " + name + "\n"
                + "rules:\n"
                + "- nonResourceURLs: [" + urls.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ")) + "]\n"
                + "  verbs: [\"get\"]";
        return new GrantSet(FLAVOR, List.of(role, binding(name)), why + " Read-only: get on these URLs, nothing else.");
    }

    /**
     * A Role in one namespace allowing get on the named objects only (resourceNames cannot restrict list, so the
     * collector GETs each by name), and its RoleBinding.
     */
    static GrantSet namedRole(String name, String namespace, String why, String apiGroup, String resource, List<String> names) {
        String role = "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: Role\n"
                + "metadata:\n"
                + "  name: opsdoc-" + name + "\n"
                + "  namespace: " + namespace + "\n"
                + "rules:\n"
                + "- apiGroups: [\"" + apiGroup + "\"]\n"
                + "  resources: [\"" + resource + "\"]\n"
                + "  resourceNames: [" + names.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ")) + "]\n"
                + "  verbs: [\"get\"]";
        String binding = roleBinding(name, namespace);
        return new GrantSet(FLAVOR, List.of(role, binding), why + " Read-only: get on these " + resource + " in "
                + namespace + " by name, nothing else.");
    }

    /** Binds the Role {@code opsdoc-NAME} in {@code namespace} to opsdoc's service account. */
    private static String roleBinding(String name, String namespace) {
        return "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: RoleBinding\n"
                + "metadata:\n"
                + "  name: opsdoc-" + name + "\n"
                + "  namespace: " + namespace + "\n"
                + "roleRef:\n"
                + "  apiGroup: rbac.authorization.k8s.io\n"
                + "  kind: Role\n"
                + "  name: opsdoc-" + name + "\n"
                + "subjects:\n"
                + "- kind: ServiceAccount\n"
                + "  name: " + SERVICE_ACCOUNT + "\n"
                + "  namespace: " + NAMESPACE;
    }

    /** A Role in one namespace with get and list on these resources, and its RoleBinding (for lists confined to kube-system). */
    static GrantSet namespacedRole(String name, String namespace, String why, Rule... rules) {
        StringBuilder role = new StringBuilder("---\n")
                .append("apiVersion: rbac.authorization.k8s.io/v1\n")
                .append("kind: Role\n")
                .append("metadata:\n")
                .append("  name: opsdoc-").append(name).append('\n')
                .append("  namespace: ").append(namespace).append('\n')
                .append("rules:");
        for (Rule r : rules) {
            role.append("\n- apiGroups: [\"").append(r.apiGroup()).append("\"]\n")
                    .append("  resources: [").append(r.resources().stream().map(s -> "\"" + s + "\"")
                            .collect(Collectors.joining(", "))).append("]\n")
                    .append("  verbs: [\"get\", \"list\"]");
        }
        String binding = roleBinding(name, namespace);
        return new GrantSet(FLAVOR, List.of(role.toString(), binding), why + " Read-only: get and list in " + namespace
                + " only, nothing else.");
    }

    private static String binding(String name) {
        return "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: ClusterRoleBinding\n"
                + "metadata:\n"
                + "  name: " + name + "\n"
                + "roleRef:\n"
                + "  apiGroup: rbac.authorization.k8s.io\n"
                + "  kind: ClusterRole\n"
                + "  name: " + name + "\n"
                + "subjects:\n"
                + "- kind: ServiceAccount\n"
                + "  name: " + SERVICE_ACCOUNT + "\n"
                + "  namespace: " + NAMESPACE;
    }

    static GrantSet clusterRole(String checkId, String why, Rule... rules) {
        String name = "opsdoc-" + checkId;
        StringBuilder role = new StringBuilder("---\n")
                .append("apiVersion: rbac.authorization.k8s.io/v1\n")
                .append("kind: ClusterRole\n")
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("rules:\n");
        for (Rule r : rules) {
            role.append("- apiGroups: [\"").append(r.apiGroup()).append("\"]\n")
                    .append("  resources: [").append(r.resources().stream().map(s -> "\"" + s + "\"")
                            .collect(Collectors.joining(", "))).append("]\n")
                    .append("  verbs: [\"get\", \"list\"]\n");
        }
        String binding = "---\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: ClusterRoleBinding\n"
                + "metadata:\n"
                + "  name: " + name + "\n"
                + "roleRef:\n"
                + "  apiGroup: rbac.authorization.k8s.io\n"
                + "  kind: ClusterRole\n"
                + "  name: " + name + "\n"
                + "subjects:\n"
                + "- kind: ServiceAccount\n"
                + "  name: " + SERVICE_ACCOUNT + "\n"
                + "  namespace: " + NAMESPACE + "\n";
        return new GrantSet(FLAVOR, List.of(role.toString().stripTrailing(), binding.stripTrailing()),
                why + " Read-only: get and list only, no watch, no write, no Secrets. The binding names the ServiceAccount "
                        + NAMESPACE + "/" + SERVICE_ACCOUNT + " from deploy/kubernetes/rbac.yaml; for a person's kubeconfig, "
                        + "bind the ClusterRole to that user or group instead. GET /version needs no grant "
                        + "(system:public-info-viewer).");
    }
}
