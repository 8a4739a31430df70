package io.opsdoc.lab.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The mock's CRUD store answers only {@code metadata.name} / {@code metadata.namespace} field selectors and returns
 * nothing for any other. A real API server also filters pods by {@code spec.nodeName} (what {@code kubectl drain}
 * and node-scoped tools use) and events by {@code involvedObject.kind} and {@code involvedObject.name} (what
 * {@code kubectl describe node} uses), so this dispatcher does that: it asks the store without those requirements and
 * keeps the items whose fields equal them.
 *
 * <p>It also serves graceful pod deletion, which the store does not model: a real API server answers a DELETE of a
 * pod bound to a node by setting {@code metadata.deletionTimestamp} (request time plus grace period) and
 * {@code deletionGracePeriodSeconds}, and keeps the pod until its kubelet confirms the containers are gone. The store
 * drops a deletionTimestamp on create and deletes on update, so the lab records such marks here
 * ({@link #markDeleted}) and every pod read (list or get) carries them, exactly as the API server would serve them.
 */
final class FieldSelectorDispatcher extends KubernetesMixedDispatcher {
    /** The field selectors a real API server supports beyond metadata, by the list path's last segment. */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "/pods", List.of("spec.nodeName"),
            "/events", List.of("involvedObject.kind", "involvedObject.name"));
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String[]> deletions = new java.util.concurrent.ConcurrentHashMap<>();

    FieldSelectorDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        super(responses);
    }

    /** From now on, pod {@code namespace/name} is served as marked for deletion at {@code timestamp} with {@code grace} s. */
    void markDeleted(String namespace, String name, String timestamp, long grace) {
        deletions.put(namespace + "/" + name, new String[] {timestamp, String.valueOf(grace)});
    }

    void clearDeletions() {
        deletions.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = filtered(request);
        String path = request.getPath() == null ? "" : request.getPath();
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        if (deletions.isEmpty() || !"GET".equals(request.getMethod()) || response.code() != 200
                || !(bare.endsWith("/pods") || bare.matches(".*/namespaces/[^/]+/pods/[^/]+"))) {
            return response;
        }
        try {
            JsonNode body = json.readTree(response.getBody().readUtf8());
            if (body.has("items")) {
                body.path("items").forEach(this::overlay);
            } else {
                overlay(body);
            }
            return response.setBody(json.writeValueAsString(body));
        } catch (IOException | ClassCastException e) {
            return response;
        }
    }

    private void overlay(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        String[] mark = deletions.get(meta.path("namespace").asText() + "/" + meta.path("name").asText());
        if (mark != null && meta instanceof ObjectNode m) {
            m.put("deletionTimestamp", mark[0]);
            m.put("deletionGracePeriodSeconds", Long.parseLong(mark[1]));
        }
    }

    private MockResponse filtered(RecordedRequest request) {
        String path = request.getPath();
        int q = path == null ? -1 : path.indexOf('?');
        if (!"GET".equals(request.getMethod()) || q < 0) {
            return super.dispatch(request);
        }
        String bare = path.substring(0, q);
        List<String> fields = FIELDS.entrySet().stream().filter(e -> bare.endsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(List.of());
        if (fields.isEmpty()) {
            return super.dispatch(request);
        }
        Map<String, String> wanted = new java.util.LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (String pair : path.substring(q + 1).split("&")) {
            String decoded = URLDecoder.decode(pair, StandardCharsets.UTF_8);
            if (decoded.startsWith("fieldSelector=")) {
                List<String> rest = new ArrayList<>();
                for (String requirement : decoded.substring("fieldSelector=".length()).split(",")) {
                    int eq = requirement.indexOf('=');
                    String field = eq < 0 ? "" : requirement.substring(0, eq);
                    if (fields.contains(field)) {
                        wanted.put(field, requirement.substring(eq + 1));
                    } else {
                        rest.add(requirement);
                    }
                }
                if (!rest.isEmpty()) {
                    kept.add("fieldSelector=" + String.join(",", rest));
                }
            } else {
                kept.add(pair);
            }
        }
        if (wanted.isEmpty()) {
            return super.dispatch(request);
        }
        String stripped = bare + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        MockResponse all = super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), stripped,
                request.getHeaders(), request.getBody()));
        if (all.code() != 200) {
            return all;
        }
        try {
            ObjectNode list = (ObjectNode) json.readTree(all.getBody().readUtf8());
            ArrayNode items = json.createArrayNode();
            for (JsonNode item : list.path("items")) {
                if (wanted.entrySet().stream().allMatch(w -> w.getValue().equals(field(item, w.getKey())))) {
                    items.add(item);
                }
            }
            list.set("items", items);
            return all.setBody(json.writeValueAsString(list));
        } catch (IOException | ClassCastException e) {
            return all;
        }
    }

    private static String field(JsonNode item, String dotted) {
        JsonNode at = item;
        for (String part : dotted.split("\\.")) {
            at = at.path(part);
        }
        return at.asText(null);
    }
}
