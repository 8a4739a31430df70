package io.opsdoc.checks.http;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.HttpGetFailures;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The I/O half of {@code http-status}: one GET or HEAD, following redirects by hand (to count and record each hop),
 * with the whole exchange bounded by the check's deadline.
 *
 * <p><b>One client for the JVM.</b> {@link HttpClient} is immutable and thread-safe (its documented contract); it
 * keeps a pool of keep-alive connections per origin and a single selector thread. Building one per probe would cost
 * a thread, a TLS context and a fresh TCP + TLS handshake every time, so {@code opsdoc serve} answering
 * {@code /probe} many times a second shares {@link #CLIENT} across every target and thread. That is safe because
 * nothing in it depends on the target: redirects are followed here, timeouts are per request, and its TLS context
 * accepts every certificate for inspection, trust being judged afterwards per response ({@link TlsInspector}).
 * HTTP/1.1 is asked for explicitly, as a monitoring probe should be predictable (no h2c upgrade header).
 */
final class HttpProbe {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .executor(executor())
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TlsInspector.inspectingContext())
            .build();
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get() + " (http-status)";
    private static final HttpRequest.BodyPublisher NO_BODY = HttpRequest.BodyPublishers.noBody();

    private HttpProbe() {
    }

    /**
     * The client's own default executor is unbounded and keeps idle threads for 60 s: a burst of probes of hung
     * targets in {@code opsdoc serve} grew ~45 of them, left for a minute. Its tasks only complete futures and
     * deliver bytes (this client never blocks in them), so a few threads do, gone after 3 s idle.
     */
    private static java.util.concurrent.ExecutorService executor() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor e = new java.util.concurrent.ThreadPoolExecutor(4, 4, 3, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "opsdoc-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** The URL a target names, exactly as written (path and query kept encoded, the fragment dropped). */
    static URI uri(Target target) {
        StringBuilder b = new StringBuilder(target.scheme()).append("://").append(target.host());
        b.append(target.path().isEmpty() ? "/" : target.path());
        if (!target.rawQuery().isEmpty()) {
            b.append('?').append(target.rawQuery());
        }
        try {
            return new URI(b.toString());
        } catch (URISyntaxException e) {
            throw new io.opsdoc.core.UsageException("target " + target.display() + " is not a valid URL: " + e.getReason());
        }
    }

    static HttpFacts collect(CheckContext context) throws ProbeException, InterruptedException, IOException {
        var p = context.parameters();
        String method = p.string("method").toUpperCase(Locale.ROOT);
        boolean follow = p.bool("follow-redirects");
        int maxRedirects = (int) Math.max(0, p.integer("max-redirects"));
        String caFile = p.string("ca-file").isBlank() ? null : p.string("ca-file");
        URI url = uri(context.target());
        Instant observedAt = Instant.now();
        long t0 = System.nanoTime();
        List<HttpFacts.Hop> hops = new ArrayList<>();
        boolean limitReached = false;
        String hopMethod = method;
        while (true) {
            HttpFacts.Hop hop = exchange(context, hopMethod, url, caFile);
            hops.add(hop);
            if (!follow || !isRedirect(hop.status()) || hop.location() == null) {
                break;
            }
            URI next;
            try {
                next = url.resolve(new URI(hop.location().trim()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                break; // an unusable Location: the redirect itself is the final answer
            }
            if (next.getScheme() == null || !List.of("http", "https").contains(next.getScheme().toLowerCase(Locale.ROOT))) {
                break;
            }
            if (hops.size() > maxRedirects) {
                limitReached = true;
                break;
            }
            // 303 turns anything into GET; 301/302 keep GET and HEAD as they are (we never send a body)
            if (hop.status() == 303 && !hopMethod.equals("HEAD")) {
                hopMethod = "GET";
            }
            url = next;
        }
        return new HttpFacts(observedAt, method, uri(context.target()).toString(), hops, follow, maxRedirects,
                limitReached, round((System.nanoTime() - t0) / 1e9));
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static HttpFacts.Hop exchange(CheckContext context, String method, URI url, String caFile)
            throws ProbeException, InterruptedException, IOException {
        Duration remaining = context.remaining();
        HttpRequest request = HttpRequest.newBuilder(url)
                .method(method, NO_BODY)
                .timeout(remaining) // covers connect, TLS handshake and the response headers
                .header("User-Agent", USER_AGENT)
                .header("Accept", "*/*")
                .build();
        String where = url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80);
        long t0 = System.nanoTime();
        // the body handler runs once the status line and headers are in: tells "no answer" from "a body that stalls"
        AtomicBoolean headers = new AtomicBoolean();
        CompletableFuture<HttpResponse<Long>> future = CLIENT.sendAsync(request, info -> {
            headers.set(true);
            return new CountingSubscriber();
        });
        HttpResponse<Long> response;
        try {
            // and this bounds the body too
            response = future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeException(ProbeErrors.TIMEOUT, headers.get()
                    ? method + " " + url + ": the response did not complete within " + Runner.human(remaining)
                    + " (headers arrived, the body did not finish)"
                    : method + " " + url + ": no response within " + Runner.human(remaining)
                    + " (no status line came back: the server accepted the connection and answered nothing, or the "
                    + "connection never completed)");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw HttpGetFailures.translate(e.getCause(), method + " " + url, where, url.getHost(), remaining,
                    " (not a certificate problem: those are reported as findings)");
        }
        double seconds = round((System.nanoTime() - t0) / 1e9);
        HttpHeaders h = response.headers();
        HttpFacts.Tls tls = null;
        if (response.sslSession().isPresent()) {
            tls = TlsInspector.inspect(response.sslSession().get(), url.getHost(), caFile);
        }
        Long declared = h.firstValueAsLong("content-length").isPresent() ? h.firstValueAsLong("content-length").getAsLong() : null;
        return new HttpFacts.Hop(url.toString(), response.statusCode(),
                response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1", seconds,
                h.firstValue("location").orElse(null), h.firstValue("retry-after").orElse(null),
                h.firstValue("server").orElse(null), h.firstValue("via").orElse(null),
                response.body() == null ? 0 : response.body(), declared, tls);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }

    /** Counts the body's bytes and keeps none of them: the probe needs the size, never the content. */
    private static final class CountingSubscriber implements HttpResponse.BodySubscriber<Long> {
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long bytes;

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                bytes += b.remaining();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes);
        }
    }
}
