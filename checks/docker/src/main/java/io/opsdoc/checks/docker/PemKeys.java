package io.opsdoc.checks.docker;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An unencrypted PEM private key as openssl writes it for Docker's client certificates: PKCS#8 ("PRIVATE KEY", openssl
 * 3), PKCS#1 ("RSA PRIVATE KEY", openssl genrsa before 3.0) or SEC1 ("EC PRIVATE KEY", openssl ecparam). The JDK reads
 * only PKCS#8, so the other two are wrapped into it (a few bytes of DER), rather than adding a crypto library.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemKeys() {
    }

    static PrivateKey read(String pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("ENCRYPTED")) {
                throw new GeneralSecurityException("the key is encrypted; the docker CLI cannot use it either: write it "
                        + "without a passphrase (openssl pkey -in KEY -out key.pem) and protect the file instead");
            }
            String body = m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, List.of("RSA", "EC", "Ed25519"));
                case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), List.of("RSA"));
                case "EC PRIVATE KEY" -> pkcs8(wrap(tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve(der))), der), List.of("EC"));
                default -> throw new GeneralSecurityException("unsupported key type " + type);
            };
        }
        throw new GeneralSecurityException("no PEM private key in the file");
    }

    private static PrivateKey pkcs8(byte[] der, List<String> algorithms) throws GeneralSecurityException {
        for (String a : algorithms) {
            try {
                return KeyFactory.getInstance(a).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("not an RSA, EC or Ed25519 private key");
    }

    /** PrivateKeyInfo: version 0, the algorithm, the key as an OCTET STRING. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(hex("020100"), algorithm, tlv(0x04, key)));
    }

    /** The named curve's OID, element [0] of a SEC1 ECPrivateKey. */
    private static byte[] curve(byte[] sec1) throws GeneralSecurityException {
        int[] outer = header(sec1, 0);
        int i = outer[0];
        while (i < sec1.length) {
            int[] h = header(sec1, i);
            if ((sec1[i] & 0xff) == 0xa0) {
                return Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
            }
            i = h[0] + h[1];
        }
        throw new GeneralSecurityException("the EC key names no curve");
    }

    /** {start of content, content length} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) throws GeneralSecurityException {
        if (at + 1 >= der.length) {
            throw new GeneralSecurityException("truncated key");
        }
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int k = 0; k < n; k++) {
                len = len << 8 | der[start + k] & 0xff;
            }
            start += n;
        }
        return new int[] {start, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
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

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
    }
}
