package io.opsdoc.checks.http;

import io.opsdoc.core.CheckCode;

/** The finding codes of http-status, each a section of the note web/http-status. */
enum HttpCode implements CheckCode {
    HTTP_500("500 Internal Server Error: the application failed on this request"),
    HTTP_502("502 Bad Gateway: a proxy got no valid response from its upstream (refused, reset, closed)"),
    HTTP_503("503 Service Unavailable: overloaded, rate- or connection-limited, in maintenance, or no healthy upstream"),
    HTTP_504("504 Gateway Timeout: the upstream did not answer the proxy within its read timeout"),
    HTTP_5XX_OTHER("another 5xx status (501, 505, 507, 508, a vendor's 52x ...)"),
    UNEXPECTED_STATUS("a status outside expect-status (404, 401, 403, a redirect not followed ...)"),
    SLOW_RESPONSE("the whole exchange took longer than slow-warning or slow-critical"),
    TOO_MANY_REDIRECTS("still redirected after max-redirects hops (a loop, or a long chain)"),
    CERT_EXPIRING("the server certificate expires within cert-warning or cert-critical"),
    CERT_EXPIRED("the server certificate has expired (or is not valid yet)"),
    CERT_UNTRUSTED("the certificate chain does not lead to a trusted root (self-signed, private CA, missing intermediate)"),
    HOSTNAME_MISMATCH("the certificate does not name the host in the URL");

    private final String title;

    HttpCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return HttpStatus.NOTE;
    }
}
