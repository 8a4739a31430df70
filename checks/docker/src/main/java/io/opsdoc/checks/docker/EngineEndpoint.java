package io.opsdoc.checks.docker;

import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the Docker Engine API is: {@code docker:///var/run/docker.sock} (the daemon's unix socket, the default and the
 * safe way), {@code docker+tcp://host:2375} (plain TCP: meant for a read-only socket proxy on loopback, or an SSH
 * tunnel), or {@code docker+tcp://host:2376?cert-dir=DIR} / {@code ?ca-file=…&cert-file=…&key-file=…} (TLS, as the
 * docker CLI's DOCKER_CERT_PATH or --tlscacert/--tlscert/--tlskey: the daemon's certificate is verified, chain and
 * host name, and the client certificate is sent).
 */
record EngineEndpoint(SocketAddress address, String where, boolean unix, Tls tls) {
    static final List<String> SCHEMES = List.of("docker", "docker+tcp");
    static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    static final List<String> OPTIONS = List.of("cert-dir", "ca-file", "cert-file", "key-file");

    /**
     * The TLS files; {@code caFile} null trusts the JVM's CAs, {@code certFile}/{@code keyFile} null send no client
     * certificate (dockerd with --tlsverify refuses that, and the check says so).
     */
    record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    static EngineEndpoint of(Target target) {
        if (target.scheme().equals("docker")) {
            if (!target.hosts().isEmpty()) {
                throw new UsageException("docker:// names a unix socket, as in docker:///var/run/docker.sock (three "
                        + "slashes), not a host; for TCP use docker+tcp://" + target.host() + ", not " + target.display());
            }
            if (!target.query().isEmpty()) {
                throw new UsageException("docker:// (a unix socket) takes no options; TLS is for docker+tcp://HOST:2376"
                        + "?cert-dir=DIR, not " + target.display());
            }
            String path = target.path().isEmpty() ? DEFAULT_SOCKET : target.path();
            return new EngineEndpoint(UnixDomainSocketAddress.of(Path.of(path)), path, true, null);
        }
        if (target.hosts().size() != 1) {
            throw new UsageException("docker+tcp needs one host, e.g. docker+tcp://127.0.0.1:2375, not " + target.display());
        }
        Tls tls = tls(target.query());
        Target.HostPort hp = target.host();
        int port = hp.portOr(tls == null ? 2375 : 2376);
        // unresolved here: the name is resolved inside the deadline, and a failure is UNREACHABLE, not a usage error
        return new EngineEndpoint(InetSocketAddress.createUnresolved(hp.host(), port), hp.host() + ":" + port, false, tls);
    }

    private static Tls tls(Map<String, String> query) {
        for (String key : query.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new UsageException("unknown option '" + key + "' for docker+tcp:// targets; supported: "
                        + "cert-dir=DIR (ca.pem, cert.pem, key.pem, as DOCKER_CERT_PATH), ca-file=, cert-file=, key-file=");
            }
        }
        if (query.isEmpty()) {
            return null;
        }
        Path ca = null;
        Path cert = null;
        Path key = null;
        String dir = query.get("cert-dir");
        if (dir != null) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                throw new UsageException("cert-dir " + dir + " is not a directory (it holds ca.pem, cert.pem and key.pem, "
                        + "as DOCKER_CERT_PATH does)");
            }
            // the docker CLI reads all three from DOCKER_CERT_PATH; a directory without ca.pem trusts the system CAs
            ca = Files.exists(d.resolve("ca.pem")) ? d.resolve("ca.pem") : null;
            cert = InputFiles.requireReadable("cert-dir's cert.pem", d.resolve("cert.pem").toString());
            key = InputFiles.requireReadable("cert-dir's key.pem", d.resolve("key.pem").toString());
        }
        if (query.containsKey("ca-file")) {
            ca = InputFiles.requireReadable("ca-file", query.get("ca-file"));
        }
        if (query.containsKey("cert-file")) {
            cert = InputFiles.requireReadable("cert-file", query.get("cert-file"));
        }
        if (query.containsKey("key-file")) {
            key = InputFiles.requireReadable("key-file", query.get("key-file"));
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("cert-file and key-file go together (the client certificate and its private key)");
        }
        return new Tls(ca, cert, key);
    }
}
