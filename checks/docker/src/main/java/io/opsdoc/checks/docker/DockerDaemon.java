package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.DaemonCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Is dockerd answering, which version, on which storage driver and root directory, and what does it warn about?
 * The daemon's own view ({@code docker version}, {@code docker info}), read-only. A daemon that does not answer at
 * all is the probe error (UNREACHABLE with the socket path), not a finding.
 */
public final class DockerDaemon extends EngineCheck<DaemonFacts> {
    public static final String ID = "docker-daemon";
    static final String NOTE = "docker/container-basics";

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("expected-storage-driver",
            ParameterType.STRING, "overlay2", "the storage driver this host should run (Docker's default on current "
                    + "kernels); empty: any driver"));

    public DockerDaemon() {
        super(ID, "Does dockerd answer, on the expected storage driver, without warnings?", DaemonFacts.class,
                PARAMETERS, DaemonCode.class, DockerGrants.of(List.of("GET /_ping", "GET /version", "GET /info")));
    }



    @Override
    public DaemonFacts collect(CheckContext context) throws Exception {
        String ping = EngineClient.text(context, "/_ping");
        JsonNode version = EngineClient.json(context, "/version");
        JsonNode info = EngineClient.json(context, "/info");
        List<String> warnings = new ArrayList<>();
        info.path("Warnings").forEach(w -> warnings.add(w.asText()));
        String rootDir = info.path("DockerRootDir").asText(null);
        Long total = null;
        Long available = null;
        if (EngineEndpoint.of(context.target()).unix() && rootDir != null && Files.isDirectory(Path.of(rootDir))) {
            try {
                FileStore fs = Files.getFileStore(Path.of(rootDir));
                total = fs.getTotalSpace();
                available = fs.getUsableSpace();
            } catch (IOException e) {
                // not readable by this user: the usage stays unknown, the rest is still the daemon's answer
            }
        }
        return new DaemonFacts(EngineEndpoint.of(context.target()).where(), ping, version.path("Version").asText(null),
                version.path("ApiVersion").asText(null), info.path("OperatingSystem").asText(null),
                info.path("KernelVersion").asText(null), info.path("Driver").asText(null), rootDir,
                info.path("CgroupDriver").asText(null), info.path("CgroupVersion").asText(null),
                info.path("ContainersRunning").asLong(), info.path("ContainersStopped").asLong(),
                info.path("Images").asLong(), warnings, total, available);
    }

    @Override
    public void evaluate(DaemonFacts f, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("docker_containers_running", f.containersRunning(), ""));
        out.metric(Metric.of("docker_containers_stopped", f.containersStopped(), ""));
        out.metric(Metric.of("docker_images", f.images(), ""));
        if (f.rootFsTotalBytes() != null && f.rootFsTotalBytes() > 0) {
            out.metric(Metric.of("docker_root_fs_used_percent", Math.round(1000.0 * (f.rootFsTotalBytes()
                    - f.rootFsAvailableBytes()) / f.rootFsTotalBytes()) / 10.0, "%"));
        }
        String expected = p.string("expected-storage-driver").trim();
        if (!expected.isEmpty() && f.driver() != null && !expected.equalsIgnoreCase(f.driver())) {
            out.finding(STORAGE_DRIVER_UNEXPECTED, Severity.WARNING, "dockerd " + f.serverVersion() + " runs the "
                    + f.driver() + " storage driver, not " + expected + driverAdvice(f.driver()),
                    Evidence.of("driver", f.driver(), "expected-storage-driver", expected, "root_dir", f.rootDir(),
                            "server_version", f.serverVersion()));
        }
        if (!f.warnings().isEmpty()) {
            List<String> lines = f.warnings().stream().map(w -> w.strip().lines().findFirst().orElse("")).toList();
            boolean exposed = lines.stream().anyMatch(w -> w.contains("API is accessible on"));
            out.finding(DAEMON_WARNINGS, exposed ? Severity.CRITICAL : Severity.WARNING, "dockerd reports "
                    + lines.size() + " warning(s): " + String.join(" | ", lines)
                    + (exposed ? "; anyone who can reach that address controls the host as root" : ""),
                    Evidence.of("warnings", lines, "api_exposed", exposed, "server_version", f.serverVersion()));
        }
    }

    private static String driverAdvice(String driver) {
        return switch (driver.toLowerCase(Locale.ROOT)) {
            case "vfs" -> ": vfs has no copy-on-write, every layer and every container is a full copy (slow to start, "
                    + "disk-hungry); it is a fallback for file systems overlay cannot use";
            case "devicemapper" -> ": devicemapper is deprecated and, in loop-lvm mode, slow and fragile";
            case "aufs" -> ": aufs was removed from Docker 24";
            default -> "";
        };
    }
}
