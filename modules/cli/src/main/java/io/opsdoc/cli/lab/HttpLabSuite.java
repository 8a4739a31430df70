package io.opsdoc.cli.lab;

import io.opsdoc.core.Report;
import io.opsdoc.lab.SilentTcpServer;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.lab.http.LabCertificates.Kind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code http-status} against a real origin, a reverse proxy in front of an upstream, and HTTPS with keytool certificates. */
final class HttpLabSuite implements LabSuite {
    private HttpLab lab;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "Jetty in this JVM: an origin (HTTP and 6 HTTPS ports with keytool-made certificates), an upstream and a "
                + "reverse proxy in front of it with a 1 s upstream timeout and a limiter (~10 s: keytool makes the certificates)";
    }

    @Override
    public String start() {
        lab = HttpLab.start();
        return "origin " + lab.url("/") + ", proxy " + lab.proxyUrl("/");
    }

    @Override
    public void heal() {
        lab.heal();
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public List<LabScenario> scenarios() {
        return List.of(
                scenario("http-healthy", "GET /healthz on the origin: 200, fast", null, () -> lab.url("/healthz")),
                scenario("https-healthy", "GET over HTTPS with a CA-signed certificate (the lab CA given as ca-file)", null,
                        () -> lab.httpsUrl(Kind.VALID, "/healthz"), "ca-file", "CA"),
                scenario("http-proxy-healthy", "GET through the reverse proxy to a running upstream", null,
                        () -> lab.proxyUrl("/healthz")),
                scenario("http-app-error", "the application answers 500", "HTTP_500", () -> lab.url("/status/500")),
                scenario("http-upstream-stopped", "the upstream behind the proxy is stopped: the proxy's connect is refused",
                        "HTTP_502", () -> {
                            lab.stopUpstream();
                            return lab.proxyUrl("/healthz");
                        }),
                scenario("http-no-healthy-upstream", "the proxy has its only upstream marked down: 503 with Retry-After",
                        "HTTP_503", () -> {
                            lab.markUpstreamDown();
                            return lab.proxyUrl("/healthz");
                        }),
                scenario("http-limiter-rejects", "one slow request holds the limiter's only slot; the next one is rejected",
                        "HTTP_503", () -> {
                            lab.occupyLimiter();
                            return lab.proxyUrl("/limited/healthz");
                        }),
                scenario("http-upstream-too-slow", "the upstream takes 3 s, the proxy's read timeout is 1 s", "HTTP_504",
                        () -> lab.proxyUrl("/slow?ms=3000")),
                scenario("http-other-5xx", "the application answers 507 Insufficient Storage", "HTTP_5XX_OTHER",
                        () -> lab.url("/status/507")),
                scenario("http-not-found", "the URL answers 404", "UNEXPECTED_STATUS", () -> lab.url("/status/404")),
                scenario("http-slow", "the application takes 1.5 s (slow-warning 1s)", "SLOW_RESPONSE",
                        () -> lab.url("/slow?ms=1500")),
                scenario("http-redirect-loop", "/loop/a and /loop/b redirect to each other", "TOO_MANY_REDIRECTS",
                        () -> lab.url("/loop/a")),
                scenario("http-cert-expiring", "the certificate has 3 days left (cert-critical 7d)", "CERT_EXPIRING",
                        () -> lab.httpsUrl(Kind.EXPIRING_SOON, "/healthz"), "ca-file", "CA"),
                scenario("http-cert-expired", "the certificate expired 9 days ago", "CERT_EXPIRED",
                        () -> lab.httpsUrl(Kind.EXPIRED, "/healthz"), "ca-file", "CA"),
                scenario("http-self-signed", "a self-signed certificate", "CERT_UNTRUSTED",
                        () -> lab.httpsUrl(Kind.SELF_SIGNED, "/healthz")),
                scenario("http-wrong-host", "a valid certificate for wrong.example, served for 127.0.0.1", "HOSTNAME_MISMATCH",
                        () -> lab.httpsUrl(Kind.WRONG_HOST, "/healthz"), "ca-file", "CA"),
                new LabScenario("http-black-hole", "a port that accepts connections and never answers (--timeout 2s)", "TIMEOUT",
                        () -> {
                            try (SilentTcpServer hole = SilentTcpServer.start()) {
                                return LabRun.check("http-status", "http://127.0.0.1:" + hole.port() + "/", Map.of(), null,
                                        Duration.ofSeconds(2));
                            }
                        }),
                new LabScenario("http-refused", "nothing listens on the port", "UNREACHABLE",
                        () -> LabRun.check("http-status", HttpLab.refusedUrl(), Map.of(), null, Duration.ofSeconds(5))));
    }

    private interface Url {
        String induce() throws Exception;
    }

    private LabScenario scenario(String name, String description, String code, Url url, String... kv) {
        return new LabScenario(name, description, code, () -> {
            String target = url.induce();
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                params.put(kv[i], kv[i + 1].equals("CA") ? lab.caFile().toString() : kv[i + 1]);
            }
            return check(target, params);
        });
    }

    private static Report check(String url, Map<String, String> params) {
        return LabRun.check("http-status", url, params, null, Duration.ofSeconds(10));
    }
}
