package io.opsdoc.checks.redis;

import io.opsdoc.core.Target;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS for {@code rediss://host:port} targets. The server's certificate is verified, chain and host name: against the
 * JVM's trusted CAs, or only against the CA certificates (PEM) of {@code ?cacert=FILE} when given, as redis-cli's
 * {@code --cacert} does. Client certificates are not sent: the server must run with {@code tls-auth-clients no} or
 * {@code optional} (Redis' default, {@code yes}, refuses the probe during the handshake; the check says so).
 */
final class Tls {
    static final String SCHEME = "rediss";
    static final String CACERT = "cacert";
    private static final Set<String> OPTIONS = Set.of(CACERT);

    private Tls() {
    }

    static void validate(Target target) {
        for (String key : target.query().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new UsageException("unknown option '" + key + "' for rediss:// targets; supported: cacert=FILE "
                        + "(PEM CA certificates to trust instead of the JVM's)");
            }
        }
        String ca = target.query().get(CACERT);
        if (ca != null) {
            InputFiles.requireReadable("cacert", ca);
        }
    }

    static boolean on(Target target) {
        return SCHEME.equals(target.scheme());
    }

    /** The socket factory: the JVM default, or one that trusts exactly the cacert file's certificates. */
    static SSLSocketFactory socketFactory(Target target) throws IOException, GeneralSecurityException {
        String ca = target.query().get(CACERT);
        if (ca == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        return io.opsdoc.core.PemTrust.trustingOnly(Path.of(ca)).getSocketFactory();
    }

    /** Host name verification as HTTPS does it: the certificate must name the target's host (DNS or IP SAN). */
    static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }
}
