package io.opsdoc.lab.redis;

import java.nio.file.Path;
import java.util.List;

/**
 * A standalone server that also listens with TLS, started on first use (Redis built with TLS: Debian's 7.x; the
 * embedded 6.2 has no TLS): a self-signed RSA certificate for 127.0.0.1 made with the JDK's keytool (no openssl
 * needed), {@code tls-auth-clients no}, listening on 127.0.0.1 and 127.0.0.2 (which the certificate does not name).
 * Its cleartext port carries the lab's own admin connections. No fault changes it, so healing leaves it alone.
 */
public final class TlsServer {
    private final RedisServers servers;
    private LabRedisServer server;
    private int tlsPort;
    private Path ca;

    TlsServer(RedisServers servers) {
        this.servers = servers;
    }

    /** The TLS port, starting the server if needed. */
    public synchronized int port() {
        if (server == null) {
            Path[] files = LabTls.selfSigned(servers.workDir.resolve("tls"));
            ca = files[0];
            tlsPort = RedisServers.reservePort();
            LabRedisServer s = servers.server("tls", RedisServers.reservePort(), List.of("--save", "", "--appendonly",
                    "no", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru",
                    "--tls-port", Integer.toString(tlsPort), "--tls-cert-file", files[0].toString(),
                    "--tls-key-file", files[1].toString(), "--tls-ca-cert-file", files[0].toString(),
                    "--tls-auth-clients", "no",
                    // also on 127.0.0.2, an address the certificate does not name
                    "--bind", RedisServers.HOST, "127.0.0.2"));
            servers.start(s);
            server = s;
        }
        return tlsPort;
    }

    /** The PEM certificate the TLS server presents (self-signed, so also the CA to trust). */
    public synchronized Path caFile() {
        port();
        return ca;
    }

    /** {@code rediss://monitor@127.0.0.1:TLSPORT?cacert=FILE}. */
    public String uri() {
        return "rediss://" + RedisServers.MONITOR_USER + "@" + RedisServers.HOST + ":" + port() + "?cacert=" + caFile();
    }

    /** The cleartext port of the TLS server. */
    public synchronized int plainPort() {
        port();
        return server.port();
    }

    synchronized List<LabRedisServer> all() {
        return server == null ? List.of() : List.of(server);
    }
}
