package io.opsdoc.checks.docker;

import java.util.List;

/**
 * What docker-daemon read: {@code /_ping}, {@code /version} and {@code /info}, and, when the API is this host's unix
 * socket, the usage of the file system holding DockerRootDir (null otherwise: a remote root dir cannot be measured).
 */
public record DaemonFacts(String endpoint, String ping, String serverVersion, String apiVersion, String os,
        String kernel, String driver, String rootDir, String cgroupDriver, String cgroupVersion, long containersRunning,
        long containersStopped, long images, List<String> warnings, Long rootFsTotalBytes, Long rootFsAvailableBytes) {
}
