package io.opsdoc.checks.docker;

import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Docker Engine API is: {@code docker:///var/run/docker.sock} (the daemon's unix socket, the default and the
 * safe way) or {@code docker+tcp://host:2375} (plain TCP: meant for a read-only socket proxy on loopback, or an SSH
 * tunnel; opsdoc does not speak the Engine API's TLS on 2376).
 */
record EngineEndpoint(SocketAddress address, String where, boolean unix) {
    static final List<String> SCHEMES = List.of("docker", "docker+tcp");
    static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    static EngineEndpoint of(Target target) {
        if (target.scheme().equals("docker")) {
            if (!target.hosts().isEmpty()) {
                throw new UsageException("docker:// names a unix socket, as in docker:///var/run/docker.sock (three "
                        + "slashes), not a host; for TCP use docker+tcp://" + target.host() + ", not " + target.display());
            }
            String path = target.path().isEmpty() ? DEFAULT_SOCKET : target.path();
            return new EngineEndpoint(UnixDomainSocketAddress.of(Path.of(path)), path, true);
        }
        if (target.hosts().size() != 1) {
            throw new UsageException("docker+tcp needs one host, e.g. docker+tcp://127.0.0.1:2375, not " + target.display());
        }
        Target.HostPort hp = target.host();
        int port = hp.portOr(2375);
        // unresolved here: the name is resolved inside the deadline, and a failure is UNREACHABLE, not a usage error
        return new EngineEndpoint(InetSocketAddress.createUnresolved(hp.host(), port), hp.host() + ":" + port, false);
    }
}
