package io.opsdoc.checks.docker;

import io.opsdoc.core.GrantSet;
import java.util.List;

/** The one least-privilege story of every Engine API check: read-only calls through a socket proxy. */
final class DockerGrants {
    private DockerGrants() {
    }

    static List<GrantSet> of(List<String> calls) {
        return List.of(
                new GrantSet("read-only socket proxy (recommended)", calls,
                        "Docker has no read-only role: whoever can open /var/run/docker.sock (root, the docker group) "
                                + "is root on the host, since they can start a privileged container. Do not add the "
                                + "monitor to the docker group. Put a proxy in front that passes only these GETs, e.g. "
                                + "tecnativa/docker-socket-proxy with CONTAINERS=1 INFO=1 VERSION=1 SYSTEM=1 VOLUMES=1 "
                                + "NETWORKS=1 IMAGES=1 and POST=0, listening on 127.0.0.1 (docker+tcp://127.0.0.1:2375) or on a "
                                + "socket the monitor's group may read."),
                new GrantSet("the daemon's own socket", List.of("read/write on /var/run/docker.sock (root or group docker)"),
                        "works, and is root-equivalent: acceptable only where the monitor already runs as root. "
                                + "opsdoc itself only sends the GETs above."));
    }
}
