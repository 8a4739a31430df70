package io.opsdoc.checks.http;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The few fields of a stapled OCSP response (RFC 6960) that say whether it helps clients: the response status, and
 * for the server certificate's serial its certStatus (good, revoked, unknown), thisUpdate and nextUpdate. A small DER
 * reader instead of a crypto library: only tags and lengths are walked, nothing is decoded beyond these fields. The
 * responder's signature is not verified here (clients do that against the issuer); a staple that does not parse is
 * reported as such.
 *
 * @param status     "good", "revoked", "unknown", or the response status when not "successful" (e.g. "tryLater")
 * @param revokedAt  the revocation time when revoked, else null
 * @param nextUpdate null when the responder gave none (then the staple never goes stale by its own dates)
 * @param forLeaf    false when no single response names the leaf's serial (the first one is reported)
 */
public record OcspStaple(String status, Instant thisUpdate, Instant nextUpdate, Instant revokedAt, boolean forLeaf) {
    private static final String[] RESPONSE_STATUS = {"successful", "malformedRequest", "internalError", "tryLater",
            "(4)", "sigRequired", "unauthorized"};

    /** Parses an OCSPResponse; throws IllegalArgumentException when it is not one. */
    static OcspStaple parse(byte[] der, BigInteger leafSerial) {
        Der response = new Der(der, 0).expect(0x30);
        List<Der> top = response.children();
        int code = top.get(0).expect(0x0A).content()[0];
        if (code != 0) {
            return new OcspStaple(code > 0 && code < RESPONSE_STATUS.length ? RESPONSE_STATUS[code] : "(" + code + ")",
                    null, null, null, false);
        }
        // responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING (BasicOCSPResponse) }
        Der bytes = top.get(1).expect(0xA0).children().get(0).expect(0x30);
        Der basic = new Der(bytes.children().get(1).expect(0x04).content(), 0).expect(0x30);
        Der tbs = basic.children().get(0).expect(0x30);
        List<Der> fields = tbs.children();
        int i = fields.get(0).tag == 0xA0 ? 1 : 0; // version, explicit, optional
        Der responses = fields.get(i + 2).expect(0x30); // after responderID and producedAt
        OcspStaple first = null;
        for (Der single : responses.children()) {
            List<Der> s = single.expect(0x30).children();
            List<Der> certId = s.get(0).expect(0x30).children();
            BigInteger serial = new BigInteger(certId.get(3).expect(0x02).content());
            Der certStatus = s.get(1);
            String status;
            Instant revokedAt = null;
            switch (certStatus.tag) {
                case 0x80 -> status = "good";
                case 0xA1 -> {
                    status = "revoked";
                    revokedAt = time(certStatus.children().get(0));
                }
                case 0x82 -> status = "unknown";
                default -> throw new IllegalArgumentException("certStatus tag " + Integer.toHexString(certStatus.tag));
            }
            Instant thisUpdate = time(s.get(2));
            Instant nextUpdate = s.size() > 3 && s.get(3).tag == 0xA0 ? time(s.get(3).children().get(0)) : null;
            boolean forLeaf = serial.equals(leafSerial);
            OcspStaple one = new OcspStaple(status, thisUpdate, nextUpdate, revokedAt, forLeaf);
            if (forLeaf) {
                return one;
            }
            first = first == null ? one : first;
        }
        if (first == null) {
            throw new IllegalArgumentException("no single response in the OCSP response");
        }
        return first;
    }

    private static Instant time(Der t) {
        String s = new String(t.expect(0x18).content(), StandardCharsets.US_ASCII); // GeneralizedTime, UTC (RFC 5280)
        String whole = s.replaceAll("\\.\\d+", "").replace("Z", "");
        return LocalDateTime.parse(whole, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
    }

    /** One DER element: tag, and where its content lies in the buffer. */
    private static final class Der {
        final byte[] buf;
        final int tag;
        final int start;
        final int length;
        final int end;

        Der(byte[] buf, int at) {
            if (at + 2 > buf.length) {
                throw new IllegalArgumentException("truncated DER at " + at);
            }
            this.buf = buf;
            tag = buf[at] & 0xFF;
            int len = buf[at + 1] & 0xFF;
            int p = at + 2;
            if (len > 0x80) {
                int n = len - 0x80;
                if (n > 3 || p + n > buf.length) {
                    throw new IllegalArgumentException("bad DER length at " + at);
                }
                len = 0;
                for (int k = 0; k < n; k++) {
                    len = (len << 8) | (buf[p++] & 0xFF);
                }
            } else if (len == 0x80) {
                throw new IllegalArgumentException("indefinite length is not DER");
            }
            start = p;
            length = len;
            end = p + len;
            if (end > buf.length) {
                throw new IllegalArgumentException("truncated DER element at " + at);
            }
        }

        Der expect(int expected) {
            if (tag != expected) {
                throw new IllegalArgumentException("expected tag " + Integer.toHexString(expected) + ", found "
                        + Integer.toHexString(tag));
            }
            return this;
        }

        byte[] content() {
            byte[] c = new byte[length];
            System.arraycopy(buf, start, c, 0, length);
            return c;
        }

        List<Der> children() {
            List<Der> out = new ArrayList<>();
            for (int p = start; p < end; ) {
                Der d = new Der(buf, p);
                out.add(d);
                p = d.end;
            }
            return out;
        }
    }
}
