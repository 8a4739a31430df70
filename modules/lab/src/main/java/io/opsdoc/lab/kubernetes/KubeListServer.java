package io.opsdoc.lab.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A read-only Kubernetes API stand-in for clusters too large for the CRUD mock (bench/k8s-scale.sh: 5,000 nodes and
 * 50,000 pods): fixed lists served as a real API server serves them, with {@code limit}/{@code continue} paging and
 * the {@code spec.nodeName} field selector on pods (an indexed selector on a real API server, which the kubelet
 * relies on). Each object is serialized once; a page is its objects' bytes joined. Paths not loaded answer an empty
 * list of their kind, and anything else 404 with a Status, so a check asking for something unexpected says so.
 */
public final class KubeListServer implements AutoCloseable {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private record Listing(String apiVersion, String kind, List<byte[]> items, Map<String, List<byte[]>> byNode,
            Supplier<List<? extends HasMetadata>> live) {
    }

    private final Map<String, Listing> lists = new HashMap<>();
    private final String gitVersion;
    private HttpServer server;
    private ExecutorService pool;

    public KubeListServer(String gitVersion) {
        this.gitVersion = gitVersion;
    }

    /** Serves {@code objects} at {@code path} (e.g. {@code /api/v1/pods}) as a {@code kind} of {@code apiVersion}. */
    public <T extends HasMetadata> KubeListServer list(String path, String apiVersion, String kind, List<T> objects,
            java.util.function.Function<T, String> nodeName) {
        List<byte[]> items = new ArrayList<>(objects.size());
        Map<String, List<byte[]>> byNode = new HashMap<>();
        for (T o : objects) {
            byte[] json = JSON.asJson(o).getBytes(StandardCharsets.UTF_8);
            items.add(json);
            String node = nodeName == null ? null : nodeName.apply(o);
            if (node != null) {
                byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(json);
            }
        }
        lists.put(path, new Listing(apiVersion, kind, items, byNode, null));
        return this;
    }

    /** A small list made anew for every request, e.g. Leases whose renewTime must keep moving as kubelets renew them. */
    public KubeListServer liveList(String path, String apiVersion, String kind, Supplier<List<? extends HasMetadata>> objects) {
        lists.put(path, new Listing(apiVersion, kind, List.of(), Map.of(), objects));
        return this;
    }

    public KubeListServer start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            if (path.equals("/version")) {
                send(ex, 200, ("{\"major\":\"1\",\"minor\":\"" + gitVersion.replaceAll("^v1\\.(\\d+).*", "$1") + "\",\"gitVersion\":\""
                        + gitVersion + "\",\"platform\":\"linux/amd64\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            Listing l = lists.get(path);
            if (l == null) {
                System.err.println("kube-list-server: not served: " + path);
                send(ex, 404, ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                        + "the server could not find the requested resource\",\"reason\":\"NotFound\",\"code\":404}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            List<byte[]> items = l.items();
            if (l.live() != null) {
                items = l.live().get().stream().map(o -> JSON.asJson(o).getBytes(StandardCharsets.UTF_8)).toList();
            }
            String selector = query.get("fieldSelector");
            if (selector != null && selector.startsWith("spec.nodeName=")) {
                items = l.byNode().getOrDefault(selector.substring("spec.nodeName=".length()), List.of());
            }
            int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
            int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : items.size();
            int to = Math.min(items.size(), from + Math.max(limit, 1));
            String next = to < items.size() ? ",\"continue\":\"" + to + "\",\"remainingItemCount\":" + (items.size() - to) : "";
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(("{\"apiVersion\":\"" + l.apiVersion() + "\",\"kind\":\"" + l.kind() + "\",\"metadata\":{\"resourceVersion\":\"1\""
                    + next + "},\"items\":[").getBytes(StandardCharsets.UTF_8));
            for (int i = from; i < to; i++) {
                if (i > from) {
                    out.write(',');
                }
                out.writeBytes(items.get(i));
            }
            out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            send(ex, 200, out.toByteArray());
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
