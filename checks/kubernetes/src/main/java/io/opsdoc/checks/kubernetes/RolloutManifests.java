package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.opsdoc.checks.kubernetes.RolloutFacts.DeploymentRollout;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RolloutSafety} on a manifest file before it is applied ({@code file:///repo/deploy/app.yaml}): the
 * Deployments of a YAML (or JSON) file, one or several documents, read with Fabric8's own deserialiser. A manifest
 * carries no API defaults, so missing fields count as the defaults the API server would fill in; a Deployment with no
 * namespace is placed in {@code default}, as {@code kubectl apply} without {@code -n} would.
 */
final class RolloutManifests {
    private static final long MAX_FILE = 4L * 1024 * 1024;

    private RolloutManifests() {
    }

    static RolloutFacts read(Path file, String namespace) throws ProbeException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, file + " is larger than 4 MiB: not a manifest");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Object parsed;
        try {
            parsed = new KubernetesSerialization().unmarshal(text);
        } catch (RuntimeException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, file + " is not a Kubernetes manifest: "
                    + firstLine(e.getMessage()), e);
        }
        List<Object> objects = new ArrayList<>();
        if (parsed instanceof KubernetesList l) {
            objects.addAll(l.getItems());
        } else if (parsed instanceof List<?> l) {
            objects.addAll(l);
        } else if (parsed != null) {
            objects.add(parsed);
        }
        List<DeploymentRollout> out = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof Deployment d && d.getSpec() != null) {
                if (d.getMetadata().getNamespace() == null) {
                    d.getMetadata().setNamespace("default");
                }
                if (namespace.isEmpty() || namespace.equals(d.getMetadata().getNamespace())) {
                    out.add(RolloutCollector.of(d));
                }
            }
        }
        return new RolloutFacts(namespace, out);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparsable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
