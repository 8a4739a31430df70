package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET of a status page (nginx's stub_status, HAProxy's stats CSV) with the check's deadline on everything, an
 * optional Basic login, and every failure turned into the engine's probe-error codes. One client for the JVM: it is
 * immutable and thread-safe, and nothing in it depends on the target.
 */
final class EdgeHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get();
    /** Status pages are a few KiB; a body far larger is not one. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private EdgeHttp() {
    }

    /** {@code http://host:port} + the target's path (or {@code defaultPath}) + {@code suffix}. */
    static URI url(Target target, String defaultPath, String suffix) {
        String path = target.path().isEmpty() || target.path().equals("/") ? defaultPath : target.path();
        return URI.create("http://" + target.host().host() + ":" + target.host().portOr(80) + path + suffix);
    }

    static String get(CheckContext context, URI url, Optional<String> user, Optional<Secret> password)
            throws ProbeException, InterruptedException {
        Duration remaining = context.remaining();
        if (remaining.toMillis() <= 0) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to GET " + url);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET().timeout(remaining).header("User-Agent", USER_AGENT);
        if (user.isPresent()) {
            String pw = password.map(Secret::reveal).orElse("");
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user.get() + ":" + pw).getBytes(StandardCharsets.UTF_8)));
        }
        String where = url.getHost() + ":" + url.getPort();
        CompletableFuture<HttpResponse<byte[]>> future = CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
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
        if (s == 401) {
            throw new ProbeException(ProbeErrors.AUTH_FAILED, "GET " + url + " answered 401: "
                    + (user.isPresent() ? "the user and password were rejected" : "the page needs a login (give the user in the target, the password from a secret source)"));
        }
        if (s == 403) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "GET " + url + " answered 403: this client's address "
                    + "is not allowed (nginx 'allow'/'deny', HAProxy 'stats admin if' or an ACL)");
        }
        if (s != 200) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "GET " + url + " answered " + s
                    + (s == 404 ? ": no status page at that path" : ""));
        }
        byte[] body = response.body();
        if (body.length > MAX_BODY) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + url + " returned " + body.length
                    + " bytes: not a status page");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
