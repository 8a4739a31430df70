package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.ImageCode.*;

import io.opsdoc.checks.kubernetes.ImageFacts.ImageUse;
import io.opsdoc.checks.kubernetes.ImageFacts.Owner;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which build does each workload run, and can every node start it? Image references of running pods (init
 * containers included), one finding per owning workload: {@code :latest} or no tag, no digest, pull policy Never.
 */
public final class ImagePolicy extends DescribedCheck<ImageFacts> {
    public static final String ID = "k8s-image-policy";
    static final String NOTE = "kubernetes/image-policy";
    private static final int EXAMPLES = 5;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("namespace", ParameterType.STRING, "", "look at this namespace only; empty = all namespaces"),
            new ParameterSpec("require-digest", ParameterType.BOOLEAN, "false",
                    "report images referenced by tag only (no @sha256 digest) as WARNING instead of INFO"));

    private static final List<GrantSet> GRANTS = List.of(KubeGrants.clusterRole(ID,
            "Lists pods (their images, pull policies and owners).", new KubeGrants.Rule("", List.of("pods"))));

    public ImagePolicy() {
        super(ID, KubeTarget.SCHEME, "Do Kubernetes workloads run pinned images that every node can pull?",
                ImageFacts.class, PARAMETERS, ImageCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        KubeTarget.of(target);
    }

    @Override
    public ImageFacts collect(CheckContext context) throws Exception {
        return ImageCollector.collect(context);
    }

    /** An image reference split as the container runtime reads it. */
    record Reference(String repository, String tag, String digest) {
        static Reference parse(String image) {
            String rest = image == null ? "" : image.trim();
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            // a colon after the last slash is a tag; before it, a registry port (localhost:5000/app)
            int slash = rest.lastIndexOf('/');
            int colon = rest.lastIndexOf(':');
            if (colon > slash) {
                return new Reference(rest.substring(0, colon), rest.substring(colon + 1), digest);
            }
            return new Reference(rest, null, digest);
        }

        boolean latest() {
            return digest == null && (tag == null || tag.equals("latest"));
        }

        /** The policy the API server fills in when the pod spec sets none. */
        String defaultPolicy() {
            return latest() ? "Always" : "IfNotPresent";
        }
    }

    @Override
    public void evaluate(ImageFacts facts, Parameters p, Evaluation.Builder out) {
        boolean requireDigest = p.bool("require-digest");
        TreeSet<String> unpinnedImages = new TreeSet<>();
        List<String> unpinnedOwners = new ArrayList<>();
        int containers = 0;
        for (Owner o : facts.owners()) {
            List<String> latest = new ArrayList<>();
            List<String> never = new ArrayList<>();
            String latestPolicy = null;
            String latestImage = null;
            boolean unpinned = false;
            for (ImageUse u : o.images()) {
                containers++;
                Reference r = Reference.parse(u.image());
                String policy = u.pullPolicy() == null ? r.defaultPolicy() : u.pullPolicy();
                String where = (u.init() ? "init container " : "container ") + u.container() + " (" + u.image() + ")";
                if (r.latest()) {
                    latest.add(where);
                    latestPolicy = latestPolicy == null ? policy : latestPolicy;
                    latestImage = latestImage == null ? u.image() : latestImage;
                } else if (r.digest() == null) {
                    unpinned = true;
                    unpinnedImages.add(u.image());
                }
                if ("Never".equals(policy)) {
                    never.add(where);
                }
            }
            if (unpinned) {
                unpinnedOwners.add(o.label());
            }
            String pods = o.pods() + (o.pods() == 1 ? " pod" : " pods");
            if (!latest.isEmpty()) {
                out.finding(LATEST_TAG, Severity.WARNING, o.label() + " (" + pods + ") runs " + String.join(", ", latest)
                        + " by a moving tag: " + ("Always".equals(latestPolicy)
                                ? "with imagePullPolicy Always each pod start pulls whatever the tag points to then, so "
                                        + "replicas started on different days run different builds"
                                : "with imagePullPolicy " + latestPolicy + " each node keeps whichever build it pulled "
                                        + "first, so replicas on different nodes can run different builds")
                        + ", and kubectl rollout undo cannot bring back the previous build. Deploy an immutable tag "
                        + "(a version or commit) or a digest",
                        Evidence.of("containers", String.join(", ", latest), "image", latestImage,
                                "imagePullPolicy", latestPolicy, "pods", o.pods()), o.key());
            }
            if (!never.isEmpty()) {
                out.finding(PULL_POLICY_NEVER, Severity.WARNING, o.label() + " (" + pods + ") sets imagePullPolicy Never "
                        + "for " + String.join(", ", never) + ": the kubelet never pulls it, so a pod scheduled on a node "
                        + "that does not already hold the image stays in ErrImageNeverPull; use IfNotPresent, or pin the "
                        + "pods to the nodes that were preloaded",
                        Evidence.of("containers", String.join(", ", never), "imagePullPolicy", "Never", "pods", o.pods()),
                        o.key());
            }
        }
        if (!unpinnedOwners.isEmpty()) {
            List<String> examples = unpinnedOwners.subList(0, Math.min(EXAMPLES, unpinnedOwners.size()));
            out.finding(UNPINNED_IMAGE, requireDigest ? Severity.WARNING : Severity.INFO, unpinnedOwners.size()
                    + " workload" + (unpinnedOwners.size() == 1 ? "" : "s") + " run images by tag without a digest ("
                    + String.join(", ", examples) + (unpinnedOwners.size() > EXAMPLES ? ", ..." : "") + "): a tag can be "
                    + "pushed again, so a node that pulls later (a new node, a rescheduled pod, Always) may run "
                    + "different bytes than the release that was tested. Common and acceptable when the registry "
                    + "makes tags immutable" + (requireDigest ? "; require-digest is set: reference image@sha256:..." : ""),
                    Evidence.of("workloads_unpinned", unpinnedOwners.size(), "workloads", String.join(", ", examples),
                            "images", String.join(", ", unpinnedImages.stream().limit(EXAMPLES).toList()),
                            "require-digest", requireDigest), "cluster");
        }
        out.metric(Metric.of("workloads", facts.owners().size(), ""));
        out.metric(Metric.of("containers", containers, ""));
        out.metric(Metric.of("workloads_unpinned", unpinnedOwners.size(), ""));
    }
}
