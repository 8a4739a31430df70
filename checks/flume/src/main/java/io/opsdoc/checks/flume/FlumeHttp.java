package io.opsdoc.checks.flume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET of a Flume agent's {@code /metrics} (its HTTP monitoring server, {@code -Dflume.monitoring.type=http})
 * with the check's deadline on everything, and every failure turned into the engine's probe-error codes. One client
 * for the JVM: it is immutable, thread-safe and pools its connections, which is what {@code /probe} needs.
 */
final class FlumeHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get();
    /** An agent's metrics are a few KiB per component; far more is not Flume's answer. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private FlumeHttp() {
    }

    /** The components and their attributes, sorted by name; throws a ProbeException for anything else. */
    static Map<String, Map<String, String>> read(CheckContext context, URI url) throws ProbeException, InterruptedException {
        return parse(get(context, url), url);
    }

    static Map<String, Map<String, String>> parse(String body, URI url) throws ProbeException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw notFlume(url, "not JSON");
        }
        if (root == null || !root.isObject()) {
            throw notFlume(url, "JSON that is not an object");
        }
        Map<String, Map<String, String>> components = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (!c.getValue().isObject()) {
                throw notFlume(url, "a member '" + shorten(c.getKey()) + "' that is not a component's attributes");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            c.getValue().fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
            components.put(c.getKey(), attributes);
        }
        return components;
    }

    private static ProbeException notFlume(URI url, String what) {
        return new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + url + " answered 200 with " + what + ": not a "
                + "Flume agent's metrics (expected {\"CHANNEL.c1\":{\"ChannelSize\":\"0\",...},...})");
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static String get(CheckContext context, URI url) throws ProbeException, InterruptedException {
        Duration remaining = context.remaining();
        if (remaining.toMillis() <= 0) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to GET " + url);
        }
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(remaining).header("User-Agent", USER_AGENT)
                .header("Accept", "application/json").build();
        String where = url.getHost() + ":" + url.getPort();
        CompletableFuture<HttpResponse<byte[]>> future = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeException(ProbeErrors.TIMEOUT, "GET " + url + ": no complete answer within " + Runner.human(remaining));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw io.opsdoc.core.HttpGetFailures.translate(e.getCause(), url, where, remaining);
        }
        int s = response.statusCode();
        if (s == 401 || s == 403) {
            // Flume's own monitoring server has no login: something in front of it wants one
            throw new ProbeException(s == 401 ? ProbeErrors.AUTH_FAILED : ProbeErrors.PERMISSION_DENIED, "GET " + url
                    + " answered " + s + ": a proxy in front of the agent's monitoring port refuses this client");
        }
        if (s != 200) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "GET " + url + " answered " + s
                    + (s == 404 ? ": no metrics at that path (Flume serves them at /metrics)" : ""));
        }
        byte[] body = response.body();
        if (body.length > MAX_BODY) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + url + " returned " + body.length
                    + " bytes: not a Flume agent's metrics");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
