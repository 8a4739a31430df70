package io.opsdoc.lab.kubernetes;

import static io.opsdoc.lab.kubernetes.KubeObjects.ts;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Events about a Node as the kubelet and the node-lifecycle controller write them (client-go's core/v1 recorder):
 * namespace default, involvedObject kind Node with the node name as its UID, message "Node NAME status is now:
 * REASON", and repeats folded into one object whose count grows while lastTimestamp moves.
 */
final class NodeEvents {
    private NodeEvents() {
    }

    static Event event(String node, String reason, String component, int count, Instant first, Instant last) {
        String name = node + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        EventBuilder b = new EventBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Node").withName(node).withUid(node).endInvolvedObject()
                .withReason(reason).withMessage("Node " + node + " status is now: " + reason).withType("Normal")
                .withCount(count).withFirstTimestamp(ts(first)).withLastTimestamp(ts(last))
                .withReportingComponent(component).withReportingInstance(component.equals("kubelet") ? node : "")
                .withNewSource().withComponent(component).withHost(component.equals("kubelet") ? node : null).endSource();
        return b.build();
    }
}
