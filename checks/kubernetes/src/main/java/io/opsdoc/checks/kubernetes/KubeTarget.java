package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.Set;

/**
 * Which cluster a {@code k8s://} target means. {@code k8s://} is the kubeconfig's current context (or, inside a pod,
 * the pod's ServiceAccount), {@code k8s://CONTEXT} a named context. Options: {@code ?kubeconfig=/path} reads that
 * file instead of {@code KUBECONFIG} / {@code ~/.kube/config}; {@code ?context=NAME} names a context that is not a
 * valid host name (EKS ARNs contain ':' and '/'). Credentials always come from the kubeconfig, never the URI.
 *
 * @param context    null for the current context
 * @param kubeconfig null for the default lookup
 */
record KubeTarget(String context, String kubeconfig) {
    static final String SCHEME = "k8s";
    private static final Set<String> OPTIONS = Set.of("kubeconfig", "context");

    static KubeTarget of(Target target) {
        if (target.user().isPresent() || target.passwordInUri()) {
            throw new UsageException("k8s targets carry no user or password: credentials come from the kubeconfig "
                    + "context (write k8s://CONTEXT)");
        }
        if (target.hosts().size() > 1) {
            throw new UsageException("k8s://CONTEXT names one kubeconfig context, not a list: " + target.display());
        }
        if (!target.hosts().isEmpty() && target.host().port() > 0) {
            throw new UsageException("k8s://CONTEXT names a kubeconfig context, not host:port (the API server address "
                    + "comes from the kubeconfig): " + target.display());
        }
        if (!target.path().isEmpty() && !target.path().equals("/")) {
            throw new UsageException("k8s targets have no path: " + target.display() + "; write k8s://CONTEXT");
        }
        for (String key : target.query().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new UsageException("target option '" + key + "' is not supported for k8s://; supported: context, kubeconfig");
            }
        }
        String host = target.hosts().isEmpty() ? null : target.host().host();
        String option = target.query().get("context");
        if (host != null && option != null) {
            throw new UsageException("name the context once: k8s://" + host + " or k8s://?context=" + option + ", not both");
        }
        if (option != null && option.isBlank()) {
            throw new UsageException("?context= needs a context name");
        }
        String kubeconfig = target.query().get("kubeconfig");
        if (kubeconfig != null && kubeconfig.isBlank()) {
            throw new UsageException("?kubeconfig= needs a file path");
        }
        if (kubeconfig != null) {
            InputFiles.requireReadable("kubeconfig", kubeconfig);
        }
        return new KubeTarget(host != null ? host : option, kubeconfig);
    }

    /** For messages: which context of which kubeconfig. */
    String describe() {
        String ctx = context == null ? "the current context" : "context '" + context + "'";
        return ctx + " of " + (kubeconfig == null ? "the default kubeconfig" : "kubeconfig " + kubeconfig);
    }
}
