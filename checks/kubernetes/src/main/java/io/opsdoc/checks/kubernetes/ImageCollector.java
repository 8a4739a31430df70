package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.opsdoc.checks.kubernetes.ImageFacts.ImageUse;
import io.opsdoc.checks.kubernetes.ImageFacts.Owner;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The I/O half of {@link ImagePolicy}: a paginated list of pods, folded into their owners as it pages. */
final class ImageCollector {
    private ImageCollector() {
    }

    static ImageFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        Map<String, int[]> pods = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        Map<String, Set<ImageUse>> images = new LinkedHashMap<>();
        try (KubeSession session = KubeSession.open(context, ImagePolicy.ID)) {
            KubeLists.each(session, "pods", session.client().pods(), namespace, p -> {
                if (p.getSpec() == null) {
                    return;
                }
                String[] owner = PodOwners.of(p);
                String ns = p.getMetadata().getNamespace();
                String kind = owner[0] == null ? "Pod" : owner[0];
                String name = owner[0] == null ? p.getMetadata().getName() : owner[1];
                String key = ns + "/" + kind + "/" + name;
                names.putIfAbsent(key, new String[] {ns, kind, name});
                pods.computeIfAbsent(key, k -> new int[1])[0]++;
                Set<ImageUse> uses = images.computeIfAbsent(key, k -> new LinkedHashSet<>());
                add(uses, p.getSpec().getInitContainers(), true);
                add(uses, p.getSpec().getContainers(), false);
            });
        }
        List<Owner> owners = new ArrayList<>();
        names.forEach((key, n) -> owners.add(new Owner(n[0], n[1], n[2], pods.get(key)[0], List.copyOf(images.get(key)))));
        return new ImageFacts(namespace, owners);
    }

    private static void add(Set<ImageUse> uses, List<Container> containers, boolean init) {
        if (containers != null) {
            for (Container c : containers) {
                uses.add(new ImageUse(c.getName(), init, c.getImage(), c.getImagePullPolicy()));
            }
        }
    }
}
