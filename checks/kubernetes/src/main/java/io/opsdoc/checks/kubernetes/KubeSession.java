package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A Fabric8 client for one check run: built from the target's kubeconfig context (or the pod's ServiceAccount),
 * every request bounded by the check's deadline and never retried, and the client's errors turned into the
 * reasons an operator can act on. Only the collectors use this class, so Fabric8 loads only when a Kubernetes
 * check actually runs.
 */
final class KubeSession implements AutoCloseable {
    static final int PAGE = 500;
    private static final String IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private final KubernetesClient client;
    private final String server;
    private final KubeTarget target;
    private final String checkId;

    private KubeSession(KubernetesClient client, String server, KubeTarget target, String checkId) {
        this.client = client;
        this.server = server;
        this.target = target;
        this.checkId = checkId;
    }

    static KubeSession open(CheckContext context, String checkId) throws ProbeException {
        KubeTarget target = KubeTarget.of(context.target());
        Config config = config(target);
        int millis = context.remainingMillis();
        config.setConnectionTimeout(millis);
        config.setRequestTimeout(millis);
        config.setUploadRequestTimeout(millis);
        config.setRequestRetryBackoffLimit(0);
        config.setRequestRetryBackoffInterval(0);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new KubeSession(client, config.getMasterUrl(), target, checkId);
    }

    private static Config config(KubeTarget target) throws ProbeException {
        Config config;
        try {
            if (target.kubeconfig() != null) {
                Path file = Path.of(target.kubeconfig());
                if (!Files.isReadable(file)) {
                    throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read kubeconfig " + file
                            + (Files.exists(file) ? " (permission denied)" : " (no such file)"));
                }
                config = Config.fromKubeconfig(target.context(), Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } else {
                config = Config.autoConfigure(target.context());
            }
        } catch (IOException | KubernetesClientException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot load " + target.describe() + ": "
                    + FailureClassifier.oneLine(e), e);
        }
        NamedContext current = config.getCurrentContext();
        if (target.context() != null && (current == null || !target.context().equals(current.getName()))) {
            String known = config.getContexts() == null || config.getContexts().isEmpty() ? "none"
                    : config.getContexts().stream().map(NamedContext::getName).collect(Collectors.joining(", "));
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "no context '" + target.context() + "' in "
                    + (target.kubeconfig() == null ? "the kubeconfig (KUBECONFIG or ~/.kube/config)" : target.kubeconfig())
                    + "; contexts: " + known);
        }
        if (current == null && target.kubeconfig() == null && !Files.exists(Path.of(IN_CLUSTER_TOKEN))
                && System.getenv("KUBERNETES_SERVICE_HOST") == null
                && (config.getMasterUrl() == null || config.getMasterUrl().contains("kubernetes.default.svc"))) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "no kubeconfig found (KUBECONFIG, ~/.kube/config) and not "
                    + "running in a pod; write k8s://CONTEXT?kubeconfig=/path/to/kubeconfig");
        }
        return config;
    }

    KubernetesClient client() {
        return client;
    }

    String server() {
        return server;
    }

    ServerVersion version() throws ProbeException {
        VersionInfo v = call("GET /version", () -> client.getKubernetesVersion());
        return new ServerVersion(v.getGitVersion(), v.getMajor(), v.getMinor());
    }

    /** List options for one page. */
    static ListOptions page(String continueToken) {
        return new ListOptionsBuilder().withLimit((long) PAGE).withContinue(continueToken).build();
    }

    @FunctionalInterface
    interface Call<T> {
        T run();
    }

    /** Runs one API call, translating what the API server or the network said into a precise reason. */
    <T> T call(String what, Call<T> call) throws ProbeException {
        try {
            return call.run();
        } catch (KubernetesClientException e) {
            throw translate(what, e);
        }
    }

    ProbeException translate(String what, KubernetesClientException e) {
        int code = e.getCode();
        String statusMessage = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : null;
        if (code == 401) {
            return new ProbeException(ProbeErrors.AUTH_FAILED, "the API server " + server + " rejected the credentials of "
                    + target.describe() + " (401 Unauthorized on " + what + "): the token or client certificate is wrong "
                    + "or expired; refresh the kubeconfig", e);
        }
        if (code == 403) {
            return new ProbeException(ProbeErrors.PERMISSION_DENIED, "forbidden: " + (statusMessage != null ? statusMessage
                    : what + " returned 403") + "; run 'opsdoc grants " + checkId + "' for the ClusterRole it needs", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (name.contains("timeout") || message.contains("timed out") || message.contains("timeout")) {
                return new ProbeException(ProbeErrors.TIMEOUT, "the API server " + server + " did not answer " + what
                        + " before the deadline", e);
            }
            if (t instanceof UnknownHostException) {
                return new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve the API server host of " + server
                        + " (DNS)", e);
            }
        }
        FailureClassifier.Failure network = FailureClassifier.network(e, server, server);
        if (network != null) {
            // the shared wording, then what it means for a kubeconfig: maybe the wrong cluster, not a dead one
            return new ProbeException(network.code(), network.code() == ProbeErrors.UNREACHABLE
                    ? "cannot connect to the API server " + server + ": " + network.reason() + "; is this the right context?"
                    : "the API server " + server + ": " + network.reason(), e);
        }
        if (code >= 500) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, "the API server " + server + " failed " + what + " ("
                    + code + (statusMessage == null ? "" : ": " + statusMessage) + ")", e);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, what + " failed: " + FailureClassifier.oneLine(e), e);
    }

    /** Reads every page of a list, keeping only what {@code keep} extracts, so memory is bounded by the compact facts. */
    static <L, T> void pages(Function<String, L> fetch, Function<L, java.util.List<T>> items, Function<L, String> next,
            java.util.function.Consumer<T> keep) {
        String token = null;
        do {
            L list = fetch.apply(token);
            items.apply(list).forEach(keep);
            token = next.apply(list);
        } while (token != null && !token.isEmpty());
    }

    @Override
    public void close() {
        client.close();
    }
}
