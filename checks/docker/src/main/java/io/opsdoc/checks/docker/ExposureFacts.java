package io.opsdoc.checks.docker;

import java.util.List;

/**
 * What docker-api-exposure read on this host: dockerd's command line, the TLS settings of its daemon.json, and the
 * TCP sockets it listens on (its own fds matched to /proc/PID/net/tcp and tcp6).
 *
 * @param tlsVerify  --tlsverify on the command line or "tlsverify": true in the config file
 * @param tls        --tls / --tlscert / "tls" (server TLS, without client verification on its own)
 * @param listeners  LISTEN sockets owned by dockerd, as address:port
 */
public record ExposureFacts(long pid, List<String> cmdline, String configFile, boolean tls, boolean tlsVerify,
        List<String> hosts, List<String> listeners) {
}
