package io.opsdoc.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The hand-written ClientHello and the reading of the first answer, byte by byte. */
class LegacyHelloTest {
    @Test
    void helloIsAWellFormedTls10Record() {
        byte[] h = LegacyHello.clientHello(0x0301, "db.example");
        assertThat(h[0]).isEqualTo((byte) 22);
        assertThat(((h[3] & 0xff) << 8) | (h[4] & 0xff)).isEqualTo(h.length - 5);
        assertThat(h[5]).isEqualTo((byte) 1); // ClientHello
        assertThat(((h[9] & 0xff) << 8) | (h[10] & 0xff)).isEqualTo(0x0301);
        assertThat(new String(h, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("db.example");
    }

    @Test
    void alertAndServerHelloAreTold() throws IOException {
        byte[] alert = {21, 3, 1, 0, 2, 2, 70};
        TlsEndpointFacts.Legacy refused = LegacyHello.ask("TLSv1", null, new ByteArrayInputStream(alert), new ByteArrayOutputStream());
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.answer()).isEqualTo("alert protocol_version");
        byte[] body = new byte[4 + 2 + 32 + 1 + 2 + 1];
        body[0] = 2;
        body[4] = 3;
        body[5] = 2; // TLS 1.1
        body[39] = (byte) 0xc0;
        body[40] = 0x13;
        byte[] record = new byte[5 + body.length];
        record[0] = 22;
        record[1] = 3;
        record[2] = 2;
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        TlsEndpointFacts.Legacy ok = LegacyHello.ask("TLSv1.1", null, new ByteArrayInputStream(record), new ByteArrayOutputStream());
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.cipher()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    }
}
