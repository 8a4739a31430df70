package io.opsdoc.checks.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Does a server still speak TLS 1.0 or 1.1? One hand-written ClientHello of that version and the first record of the
 * answer: a ServerHello with the same version means yes, an alert or a hang-up means no.
 *
 * <p>Why by hand: JSSE disables TLSv1 and TLSv1.1 in {@code jdk.tls.disabledAlgorithms}, a JVM-wide security
 * property. Turning it off would weaken every other TLS connection of the JVM ({@code opsdoc serve} runs many
 * checks), so the probe never negotiates an old protocol: it only asks and reads the server's first answer, then
 * closes. No key exchange happens and no application data is sent. The ClientHello offers the suites servers that
 * keep TLS 1.0 enable (ECDHE/DHE/RSA with AES-CBC, 3DES), with SNI, as OpenSSL's {@code s_client -tls1} would.
 */
final class LegacyHello {
    static final Map<String, Integer> VERSIONS = Map.of("TLSv1", 0x0301, "TLSv1.1", 0x0302);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Offered suites and their IANA names, to name the one the server picks. */
    private static final int[] SUITES = {0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a};
    private static final Map<Integer, String> NAMES = Map.of(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",
            0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    private static final Map<Integer, String> ALERTS = Map.of(40, "handshake_failure", 47, "illegal_parameter",
            50, "decode_error", 70, "protocol_version", 71, "insufficient_security", 80, "internal_error",
            112, "unrecognized_name");

    private LegacyHello() {
    }

    /** Sends the hello on a connected socket (its read timeout already set) and reads the first answer. */
    static TlsEndpointFacts.Legacy ask(String protocol, String sniHost, InputStream in, OutputStream out) throws IOException {
        int version = VERSIONS.get(protocol);
        out.write(clientHello(version, sniHost));
        out.flush();
        DataInputStream d = new DataInputStream(in);
        int type;
        try {
            type = d.readUnsignedByte();
        } catch (EOFException e) {
            return new TlsEndpointFacts.Legacy(protocol, false, null, "connection closed without an answer");
        }
        d.readUnsignedShort(); // record version
        int length = d.readUnsignedShort();
        if (length > 1 << 15) {
            throw new IOException("not a TLS record (length " + length + ")");
        }
        byte[] body = new byte[length];
        d.readFully(body);
        if (type == 21 && length >= 2) {
            int code = body[1] & 0xff;
            return new TlsEndpointFacts.Legacy(protocol, false, null, "alert " + ALERTS.getOrDefault(code, "#" + code));
        }
        if (type != 22 || length < 6 || body[0] != 2) {
            throw new IOException("not a TLS handshake record (type " + type + ")");
        }
        int server = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
        if (server != version) {
            return new TlsEndpointFacts.Legacy(protocol, false, null, "ServerHello with version 0x" + Integer.toHexString(server));
        }
        String cipher = null;
        int sidAt = 4 + 2 + 32;
        if (length > sidAt) {
            int at = sidAt + 1 + (body[sidAt] & 0xff);
            if (length >= at + 2) {
                int suite = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
                cipher = NAMES.getOrDefault(suite, String.format("0x%04X", suite));
            }
        }
        return new TlsEndpointFacts.Legacy(protocol, true, cipher, "ServerHello " + protocol);
    }

    static byte[] clientHello(int version, String sniHost) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        u16(hello, version);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // no session id
        u16(hello, SUITES.length * 2 + 2);
        for (int s : SUITES) {
            u16(hello, s);
        }
        u16(hello, 0x00ff); // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
        hello.write(1);
        hello.write(0); // null compression
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        if (sniHost != null) {
            byte[] name = sniHost.getBytes(StandardCharsets.US_ASCII);
            u16(ext, 0x0000);
            u16(ext, name.length + 5);
            u16(ext, name.length + 3);
            ext.write(0);
            u16(ext, name.length);
            ext.writeBytes(name);
        }
        u16(ext, 0x000a); // supported_groups: x25519, secp256r1, secp384r1
        u16(ext, 8);
        u16(ext, 6);
        u16(ext, 0x001d);
        u16(ext, 0x0017);
        u16(ext, 0x0018);
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        u16(hello, ext.size());
        hello.writeBytes(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        u16(record, 0x0301); // the record layer says TLS 1.0, as clients do for compatibility
        u16(record, hello.size() + 4);
        record.write(1); // ClientHello
        record.write((hello.size() >> 16) & 0xff);
        u16(record, hello.size() & 0xffff);
        record.writeBytes(hello.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xff);
        out.write(v & 0xff);
    }
}
