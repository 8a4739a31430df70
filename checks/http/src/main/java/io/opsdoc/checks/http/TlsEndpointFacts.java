package io.opsdoc.checks.http;

import java.time.Instant;
import java.util.List;

/**
 * What {@code tls-endpoint} observed on one host:port: the handshake a current client makes (TLS 1.2/1.3, the JVM's
 * defaults) and, separately, whether the server still answers a TLS 1.0 or 1.1 ClientHello.
 *
 * @param certificate    the leaf and its chain's verdict, null when the modern handshake failed
 * @param protocol       negotiated by the modern handshake (TLSv1.3, TLSv1.2), null when it failed
 * @param handshakeError why the modern handshake failed (e.g. the server offers only TLS 1.0), null when it worked
 * @param legacy         one per old protocol tried, empty when check-old-protocols is false
 * @param staple         the OCSP response the server stapled in the modern handshake, null when none (or no handshake)
 * @param stapleError    why a stapled response could not be read, else null
 */
public record TlsEndpointFacts(Instant observedAt, String host, int port, String protocol, String cipherSuite,
        HttpFacts.Tls certificate, String handshakeError, List<Legacy> legacy, OcspStaple staple, String stapleError) {

    /**
     * One old-protocol ClientHello and the server's answer.
     *
     * @param protocol TLSv1 or TLSv1.1
     * @param accepted the server answered with a ServerHello of exactly that version
     * @param cipher   the cipher suite it chose (IANA name), null when refused
     * @param answer   what came back: "ServerHello TLSv1", "alert protocol_version", "connection closed" ...
     */
    public record Legacy(String protocol, boolean accepted, String cipher, String answer) {
    }
}
