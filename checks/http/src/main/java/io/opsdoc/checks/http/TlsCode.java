package io.opsdoc.checks.http;

import io.opsdoc.core.CheckCode;

/** The finding codes of tls-endpoint, each a section of the note web/tls. */
enum TlsCode implements CheckCode {
    CERT_EXPIRING("the server certificate expires within cert-warning or cert-critical"),
    CERT_EXPIRED("the server certificate has expired (or is not valid yet)"),
    CERT_UNTRUSTED("the certificate chain does not lead to a trusted root (self-signed, private CA, missing intermediate)"),
    HOSTNAME_MISMATCH("the certificate does not name the host of the target"),
    OLD_PROTOCOL("the server still completes a TLS 1.0 or TLS 1.1 handshake"),
    OCSP_REVOKED("the OCSP response the server staples says its certificate is revoked"),
    OCSP_STALE("the stapled OCSP response is past its nextUpdate: clients ignore it or, with must-staple, fail"),
    OCSP_NOT_STAPLED("require-ocsp-staple: the server staples no OCSP response (or one that does not parse)");

    private final String title;

    TlsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return TlsEndpoint.NOTE;
    }
}
