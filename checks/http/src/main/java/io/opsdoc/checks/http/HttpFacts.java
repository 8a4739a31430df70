package io.opsdoc.checks.http;

import java.time.Instant;
import java.util.List;

/**
 * What {@code http-status} observed: every response in the redirect chain, in order, with the TLS session of each
 * https hop. Nothing here is judged yet; {@link HttpStatus#evaluate} decides.
 *
 * @param observedAt            when the first request was sent (certificate ages are computed from it, so a replay
 *                              judges the same way it did live)
 * @param hops                  one per response received; the last one is the final answer
 * @param redirectLimitReached  the last hop is still a redirect and following it would exceed {@code maxRedirects}
 * @param seconds               from the first request to the end of the last body
 */
public record HttpFacts(Instant observedAt, String method, String url, List<Hop> hops, boolean followRedirects,
        int maxRedirects, boolean redirectLimitReached, double seconds) {

    public Hop last() {
        return hops.get(hops.size() - 1);
    }

    /** The number of redirects followed. */
    public int redirects() {
        return hops.size() - 1;
    }

    /**
     * One request and its response.
     *
     * @param location      the {@code Location} header, or null
     * @param retryAfter    the {@code Retry-After} header (seconds or an HTTP date), or null
     * @param server        the {@code Server} header: which layer answered (nginx, the application ...), or null
     * @param via           the {@code Via} header a proxy adds, or null
     * @param bodyBytes     bytes of body read (0 for HEAD)
     * @param contentLength the declared {@code Content-Length}, or null
     * @param tls           the TLS session of an https hop, null for http
     */
    public record Hop(String url, int status, String httpVersion, double seconds, String location, String retryAfter,
            String server, String via, long bodyBytes, Long contentLength, Tls tls) {
    }

    /**
     * The TLS session and the server's leaf certificate, read even when the certificate is expired, untrusted or
     * for another name.
     *
     * @param host         the name the client asked for (the URL's host), matched against the SANs in evaluate
     * @param dnsNames     subjectAltName dNSName entries
     * @param ipAddresses  subjectAltName iPAddress entries
     * @param chainLength  certificates the server sent
     * @param trusted      the chain leads to a trusted root (system trust store plus {@code ca-file}), judged as if at
     *                     a moment inside the leaf's validity so an expired certificate is not also reported untrusted
     * @param trustProblem why the chain is not trusted, or null
     * @param selfSigned   the leaf is its own issuer
     */
    public record Tls(String host, String protocol, String cipherSuite, String subject, String issuer,
            List<String> dnsNames, List<String> ipAddresses, Instant notBefore, Instant notAfter, String sha256,
            int chainLength, boolean trusted, String trustProblem, boolean selfSigned) {
    }
}
