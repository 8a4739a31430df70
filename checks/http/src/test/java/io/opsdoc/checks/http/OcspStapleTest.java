package io.opsdoc.checks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The stapled-response reader on OCSP responses made by a second producer, {@code openssl ocsp} (OpenSSL 3.0.19, an
 * index.txt CA: see the resources' README), besides the BouncyCastle-signed ones the TLS lab staples through nginx.
 */
class OcspStapleTest {
    private static final BigInteger SERIAL = new BigInteger("5E450984AF156653EF81A2EED048F84C762B371E", 16);

    @Test
    void goodFromOpenssl() throws IOException {
        OcspStaple s = OcspStaple.parse(resource("good.der"), SERIAL);
        assertThat(s.status()).isEqualTo("good");
        assertThat(s.forLeaf()).isTrue();
        assertThat(s.nextUpdate()).isEqualTo(s.thisUpdate().plusSeconds(86_400));
        assertThat(s.revokedAt()).isNull();
    }

    @Test
    void revokedFromOpenssl() throws IOException {
        OcspStaple s = OcspStaple.parse(resource("revoked.der"), SERIAL);
        assertThat(s.status()).isEqualTo("revoked");
        assertThat(s.revokedAt()).isBefore(s.thisUpdate());
    }

    @Test
    void anotherSerialIsReportedAsNotForTheLeaf() throws IOException {
        assertThat(OcspStaple.parse(resource("good.der"), BigInteger.TEN).forLeaf()).isFalse();
    }

    @Test
    void anUnsuccessfulResponseAndGarbage() {
        // OCSPResponse { responseStatus tryLater(3) }
        assertThat(OcspStaple.parse(new byte[] {0x30, 0x03, 0x0A, 0x01, 0x03}, SERIAL).status()).isEqualTo("tryLater");
        assertThatThrownBy(() -> OcspStaple.parse(new byte[] {0x30, 0x7F, 0x0A}, SERIAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/tls/ocsp-openssl-" + name)) {
            return in.readAllBytes();
        }
    }
}
