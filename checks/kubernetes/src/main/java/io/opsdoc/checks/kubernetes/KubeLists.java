package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.opsdoc.core.ProbeException;
import java.util.function.Consumer;

/** Paginated lists of one namespaced kind, in all namespaces or one, keeping only what the caller extracts. */
final class KubeLists {
    private KubeLists() {
    }

    static <T extends HasMetadata, L extends KubernetesResourceList<T>> void each(KubeSession session, String what,
            MixedOperation<T, L, ?> op, String namespace, Consumer<T> keep) throws ProbeException {
        boolean all = namespace == null || namespace.isEmpty();
        String where = all ? "in all namespaces" : "in namespace " + namespace;
        session.call("list " + what + " " + where, () -> {
            AnyNamespaceOperation<T, L, ?> scoped = all ? op.inAnyNamespace() : op.inNamespace(namespace);
            KubeSession.<L, T>pages(t -> scoped.list(KubeSession.page(t)), KubernetesResourceList::getItems,
                    l -> l.getMetadata() == null ? null : l.getMetadata().getContinue(), keep);
            return null;
        });
    }
}
