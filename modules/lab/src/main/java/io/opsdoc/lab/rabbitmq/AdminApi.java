package io.opsdoc.lab.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The lab's administrator on one node's management API: declares, deletes and publishes (the checks never do). */
final class AdminApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String auth;

    AdminApi(int port, String user, String password) {
        this.port = port;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Status code of the request; the body parsed into {@code out[0]} when asked. */
    int call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", auth).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #call} but the request must succeed (2xx). */
    void must(String method, String path, String body) {
        int s = call(method, path, body);
        if (s / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered HTTP " + s);
        }
    }

    /** GET as JSON, or null when the node does not answer (stopped, starting). */
    JsonNode get(String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", auth).GET().build();
        try {
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 || resp.statusCode() == 503 ? withStatus(resp) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode withStatus(HttpResponse<String> resp) throws IOException {
        JsonNode n = Json.mapper().readTree(resp.body());
        if (n != null && n.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", resp.statusCode());
        }
        return n;
    }
}
