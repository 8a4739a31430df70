package io.opsdoc.checks.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The three PEM forms openssl writes for a Docker client key, made here from JDK key pairs (no key in the source). */
class PemKeysTest {

    @Test
    void readsPkcs8AndPkcs1Rsa() throws Exception {
        PrivateKey k = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        byte[] pkcs8 = k.getEncoded();
        assertArrayEquals(pkcs8, PemKeys.read(pem("PRIVATE KEY", pkcs8)).getEncoded());
        // PKCS#1 is the OCTET STRING inside PKCS#8's PrivateKeyInfo: version (3 bytes), algorithm (15 bytes), then it
        byte[] pkcs1 = inner(pkcs8, 2 + lengthBytes(pkcs8) + 3 + 15);
        assertArrayEquals(pkcs8, PemKeys.read(pem("RSA PRIVATE KEY", pkcs1)).getEncoded());
    }

    @Test
    void readsSec1EcWithItsNamedCurve() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ECPrivateKey k = (ECPrivateKey) g.generateKeyPair().getPrivate();
        byte[] scalar = unsigned(k.getS(), 32);
        // ECPrivateKey ::= SEQUENCE { 1, OCTET STRING d, [0] OID prime256v1 } as openssl ecparam -genkey writes it
        byte[] sec1 = tlv(0x30, concat(HexFormat.of().parseHex("020101"), tlv(0x04, scalar),
                tlv(0xa0, HexFormat.of().parseHex("06082a8648ce3d030107"))));
        ECPrivateKey read = (ECPrivateKey) PemKeys.read(pem("EC PRIVATE KEY", sec1));
        assertEquals(k.getS(), read.getS());
        assertEquals(k.getParams().getCurve(), read.getParams().getCurve());
    }

    @Test
    void refusesEncryptedKeysWithoutEchoingThem() {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> PemKeys.read(pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("encrypted"));
        assertThrows(GeneralSecurityException.class, () -> PemKeys.read("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static int lengthBytes(byte[] der) {
        int l = der[1] & 0xff;
        return l > 0x80 ? l & 0x7f : 0;
    }

    /** The content of the OCTET STRING at {@code at}. */
    private static byte[] inner(byte[] der, int at) {
        assertEquals(0x04, der[at]);
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = len << 8 | der[start + i] & 0xff;
            }
            start += n;
        }
        return Arrays.copyOfRange(der, start, start + len);
    }

    private static byte[] unsigned(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[size];
        int n = Math.min(b.length, size);
        System.arraycopy(b, b.length - n, out, size - n, n);
        return out;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
