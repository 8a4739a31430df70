package io.opsdoc.lab.docker;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * The Docker checks on a real dockerd 20.10 (Debian docker.io) with sick containers started in it, and
 * dockerfile-lint on files the lab writes. Every Engine API scenario but one goes through the unix socket; the
 * exposed-API scenario reads the same daemon through the TCP listener it warns about.
 */
public final class DockerScenarios implements ScenarioSet<DockerLab> {

    @Override
    public String system() {
        return "docker";
    }

    @Override
    public String description() {
        return "a dockerd (vfs, no iptables, its own containerd) with a busybox image imported offline";
    }

    @Override
    public List<LabVariant<DockerLab>> variants() {
        return List.of(new LabVariant<>("default", DockerLab::unavailable, DockerLab::start, DockerLab::shared));
    }

    @Override
    public List<Scenario<DockerLab>> scenarios() {
        return List.of(
                // docker-daemon
                engine("docker-daemon-healthy", "dockerd answers on its socket, on the storage driver this host is "
                        + "meant to run (vfs here), without warnings").checks("docker-daemon")
                        .param("expected-storage-driver", "vfs").healthy()
                        .metrics("docker_containers_running", "docker_root_fs_used_percent").build(),
                engine("docker-storage-driver-vfs", "dockerd runs vfs where overlay2 is expected: every layer a full copy")
                        .checks("docker-daemon")
                        .expect(code("STORAGE_DRIVER_UNEXPECTED").severity(WARNING).evidence("driver", "vfs")
                                .evidence("expected-storage-driver", "overlay2").says("vfs", "copy-on-write"))
                        .absent("DAEMON_WARNINGS").build(),
                Scenario.<DockerLab>of("docker-api-on-tcp", "dockerd was restarted with -H tcp://127.0.0.1:PORT and no "
                        + "TLS (the notes' unit file does this on 0.0.0.0:2375)").checks("docker-daemon")
                        .target(DockerLab::tcpTarget).timeout(Duration.ofSeconds(15)).param("expected-storage-driver", "vfs")
                        .breaks(DockerLab::exposeApiOnTcp)
                        .expect(code("DAEMON_WARNINGS").severity(CRITICAL).evidence("api_exposed", true)
                                .says("API is accessible on http://127.0.0.1:", "without encryption", "root")).build(),
                Scenario.<DockerLab>of("docker-api-exposure-healthy", "dockerd listens on its unix socket and on "
                        + "127.0.0.1 with --tlsverify (client certificates from the lab CA)")
                        .checks("docker-api-exposure").target(lab -> "local:").param("pid-file", DockerLab::pidFile)
                        .healthy().metrics("docker_api_tcp_listeners").build(),
                Scenario.<DockerLab>of("docker-api-exposure-tls-no-verify", "seen from the host: dockerd restarted with "
                        + "--tls but without --tlsverify").checks("docker-api-exposure").target(lab -> "local:")
                        .param("pid-file", DockerLab::pidFile).timeout(Duration.ofSeconds(15))
                        .breaks(DockerLab::tlsWithoutVerify)
                        .expect(code("DOCKER_API_TLS_WITHOUT_VERIFY").severity(CRITICAL).evidence("tls", true)
                                .evidence("tlsverify", false).says("listens on TCP 127.0.0.1:", "--tlsverify", "root"))
                        .absent("DOCKER_API_UNAUTHENTICATED_TCP").build(),
                // the Engine API over TLS, as the docker CLI with DOCKER_CERT_PATH or --tlscacert/--tlscert/--tlskey
                Scenario.<DockerLab>of("docker-tls-healthy", "the daemon read over TLS on 127.0.0.1 with a client "
                        + "certificate (cert-dir= with ca.pem, cert.pem, key.pem)").checks("docker-daemon")
                        .target(DockerLab::tlsTarget).timeout(Duration.ofSeconds(15))
                        .param("expected-storage-driver", "vfs").healthy().metrics("docker_containers_running").build(),
                Scenario.<DockerLab>of("docker-tls-wrong-ca", "the client trusts another CA than the one that signed "
                        + "dockerd's certificate").checks("docker-daemon").target(DockerLab::tlsWrongCaTarget)
                        .timeout(Duration.ofSeconds(15))
                        .expect(code("PROBE_FAILED").severity(UNKNOWN).says("not signed by", "ca-file")).build(),
                Scenario.<DockerLab>of("docker-tls-no-client-cert", "the client sends no certificate to a daemon "
                        + "started with --tlsverify").checks("docker-daemon").target(DockerLab::tlsNoClientCertTarget)
                        .timeout(Duration.ofSeconds(15))
                        .expect(code("AUTH_FAILED").severity(UNKNOWN).says("client certificate", "cert-file")).build(),
                Scenario.<DockerLab>of("docker-api-exposure-tcp", "seen from the host: dockerd restarted with "
                        + "-H tcp://127.0.0.1:PORT, no TLS").checks("docker-api-exposure").target(lab -> "local:")
                        .param("pid-file", DockerLab::pidFile).timeout(Duration.ofSeconds(15))
                        .breaks(DockerLab::exposeApiOnTcp)
                        .expect(code("DOCKER_API_UNAUTHENTICATED_TCP").severity(CRITICAL)
                                .evidence("tls", false).evidence("tlsverify", false)
                                .says("listens on TCP 127.0.0.1:", "without TLS", "root on this host")).build(),
                // docker-network, on the second dockerd in its own network namespace
                network("docker-network-healthy", "one bridge network (172.30.1.0/24) with a container, a LAN on "
                        + "10.20.8.0/24 it does not overlap, ip_forward on").healthy()
                        .metrics("docker_bridge_networks", "docker_host_routes").build(),
                network("docker-network-route-overlap", "a VPN route 10.40.0.0/16 appears; compose networks were made "
                        + "with explicit subnets 10.40.3.0/24 and 10.20.0.0/16 (around the LAN)")
                        .breaks(DockerLab::routeOverlap)
                        .expect(code("BRIDGE_SUBNET_OVERLAP").severity(CRITICAL).evidence("network", "lab-legacy")
                                .evidence("route", "10.40.0.0/16").evidence("route_gateway", "10.20.8.1")
                                .evidence("shadows_route", true).says("lab-legacy", "unreachable"))
                        .expect(code("BRIDGE_SUBNET_OVERLAP").severity(WARNING).evidence("network", "lab-wide")
                                .evidence("route", "10.20.8.0/24").evidence("route_interface", "lan0")
                                .evidence("shadows_route", false))
                        .absent("SUBNET_NOT_PRIVATE", "IP_FORWARD_DISABLED").build(),
                network("docker-network-ip-forward-off", "a hardening script set net.ipv4.ip_forward=0 in dockerd's "
                        + "network namespace").breaks(DockerLab::ipForwardOff)
                        .expect(code("IP_FORWARD_DISABLED").severity(CRITICAL).evidence("ipv4_forwarding", false)
                                .evidence("networks_with_containers", java.util.List.of("lab-app"))
                                .says("ip_forward=0", "lab-app")).absent("BRIDGE_SUBNET_OVERLAP").build(),
                network("docker-network-icc-off", "a network created with enable_icc=false, a container on it")
                        .breaks(DockerLab::iccOff)
                        .expect(code("ICC_DISABLED").severity(INFO).evidence("networks", java.util.List.of("lab-isolated"))
                                .says("lab-isolated", "cannot reach each other")).absent("NETWORKS_UNUSED").build(),
                network("docker-network-public-subnet", "a network on 192.169.100.0/24, the source notes' bip typo for "
                        + "192.168").breaks(DockerLab::publicSubnet)
                        .expect(code("SUBNET_NOT_PRIVATE").severity(WARNING).evidence("subnet", "192.169.100.0/24")
                                .says("lab-bip", "public address space")).build(),
                network("docker-network-unused", "a compose project's containers were removed, its network stays")
                        .breaks(DockerLab::unusedNetwork)
                        .expect(code("NETWORKS_UNUSED").severity(INFO).evidence("count", 1).says("lab-old", "prune"))
                        .absent("BRIDGE_SUBNET_OVERLAP", "SUBNET_NOT_PRIVATE").build(),
                // docker-container-health
                containers("docker-containers-healthy", "one container running with a passing HEALTHCHECK").healthy()
                        .metrics("docker_containers_running", "docker_containers_unhealthy").build(),
                containers("docker-container-unhealthy", "the api container's HEALTHCHECK cannot reach its database")
                        .breaks(DockerLab::unhealthy)
                        .expect(code("UNHEALTHY").severity(CRITICAL).evidence("container", "lab-api")
                                .says("lab-api", "cannot connect to db:5432")).absent("RESTARTING", "OOM_KILLED").build(),
                containers("docker-container-restart-loop", "the worker's PID 1 exits 3 right after start, under "
                        + "--restart always").breaks(DockerLab::restartLoop)
                        .expect(code("RESTARTING").severity(CRITICAL).evidence("container", "lab-worker")
                                .evidence("restart_policy", "always").says("lab-worker", "restart loop"))
                        .absent("EXITED_NONZERO").build(),
                containers("docker-container-oom-killed", "a batch job outgrew its 16 MiB memory limit")
                        .breaks(DockerLab::oomKill)
                        .expect(code("OOM_KILLED").severity(CRITICAL).evidence("container", "lab-batch")
                                .evidence("memory_limit_bytes", 16L * 1024 * 1024).evidence("exit_code", 137)
                                .says("lab-batch", "16 MiB")).absent("EXITED_NONZERO").build(),
                containers("docker-container-exited", "a migration container failed on a missing config and stays "
                        + "stopped").breaks(DockerLab::exitedNonZero)
                        .expect(code("EXITED_NONZERO").severity(WARNING).evidence("container", "lab-migrate")
                                .evidence("exit_code", 2).says("lab-migrate", "code 2")).absent("OOM_KILLED").build(),
                containers("docker-container-no-healthcheck", "a sidecar runs without any HEALTHCHECK")
                        .breaks(DockerLab::withoutHealthcheck)
                        .expect(code("NO_HEALTHCHECK").severity(INFO).evidence("count", 1).says("lab-sidecar")).build(),
                // docker-storage
                storage("docker-storage-healthy", "the only image is in use, no volume, no build cache")
                        .param("reclaimable-warning", "1MiB").healthy()
                        .metrics("docker_reclaimable_bytes", "docker_dangling_volumes").build(),
                storage("docker-dangling-volume", "a container wrote 1 MiB to a named volume and was removed without -v")
                        .breaks(DockerLab::danglingVolume)
                        .expect(code("DANGLING_VOLUMES").severity(WARNING).evidence("dangling_volumes", 1)
                                .positive("bytes").says("lab-cache", "docker volume prune")).build(),
                storage("docker-reclaimable-image", "the previous release's image is still on disk, used by nothing")
                        .param("reclaimable-warning", "1MiB").breaks(DockerLab::unusedImage)
                        .expect(code("RECLAIMABLE_SPACE_HIGH").severity(WARNING).evidence("unused_images", 1)
                                .says("1 unused image")).absent("DANGLING_VOLUMES").build(),
                engine("docker-root-filling", "a container's log volume filled the 64 MiB file system holding the "
                        + "data root to 97%").checks("docker-storage").target(DockerLab::netTarget)
                        .breaks(DockerLab::fillDataRoot)
                        .expect(code("DOCKER_ROOT_FILLING").severity(CRITICAL).positive("used_percent")
                                .says("data root", "full")).absent("DANGLING_VOLUMES").build(),
                // dockerfile-lint
                dockerfile("dockerfile-good", "a Dockerfile that pins its base, runs as a user, cleans up in the same "
                        + "RUN and execs CMD from its entrypoint").healthy().build(),
                dockerfile("dockerfile-latest", "the build stage uses golang:latest, the runtime FROM nginx has no tag")
                        .breaks(lab -> lab.writeDockerfile(DockerfileCases.LATEST, DockerfileCases.ENTRYPOINT_GOOD))
                        .expect(code("LATEST_BASE_IMAGE").severity(WARNING).evidence("image", "golang:latest")
                                .evidence("hadolint", "DL3007"))
                        .expect(code("LATEST_BASE_IMAGE").evidence("image", "nginx").evidence("hadolint", "DL3006")
                                .says("has no tag")).absent("RUNS_AS_ROOT").build(),
                dockerfile("dockerfile-no-user", "the image never switches to a user").breaks(lab ->
                                lab.writeDockerfile(DockerfileCases.NO_USER, DockerfileCases.ENTRYPOINT_GOOD))
                        .expect(code("RUNS_AS_ROOT").severity(WARNING).says("sets no USER")).build(),
                dockerfile("dockerfile-add-local", "static files are added with ADD").breaks(lab ->
                                lab.writeDockerfile(DockerfileCases.ADD_LOCAL, DockerfileCases.ENTRYPOINT_GOOD))
                        .expect(code("ADD_INSTEAD_OF_COPY").severity(WARNING).evidence("hadolint", "DL3020")
                                .says("ADD site/")).build(),
                dockerfile("dockerfile-delete-later", "build tools and the source tarball are removed in a later RUN")
                        .breaks(lab -> lab.writeDockerfile(DockerfileCases.DELETE_LATER, DockerfileCases.ENTRYPOINT_GOOD))
                        .expect(code("LAYER_DELETE_INEFFECTIVE").severity(WARNING)
                                .evidence("removed", "/tmp/nginx-1.24.0.tar.gz").evidence("created_at_line", 3))
                        .expect(code("LAYER_DELETE_INEFFECTIVE").evidence("removed", "/var/lib/apt/lists/*")
                                .evidence("created_at_line", 2)).build(),
                dockerfile("dockerfile-separate-runs", "apt-get update, the install and useradd are three RUNs")
                        .breaks(lab -> lab.writeDockerfile(DockerfileCases.SEPARATE_RUNS, DockerfileCases.ENTRYPOINT_GOOD))
                        .expect(code("RUNS_NOT_MERGED").severity(INFO).evidence("runs", 3).evidence("hadolint", "DL3059"))
                        .absent("LAYER_DELETE_INEFFECTIVE").build(),
                dockerfile("dockerfile-entrypoint-typo", "the entrypoint script ends with exec \"@\" instead of exec \"$@\"")
                        .breaks(lab -> lab.writeDockerfile(DockerfileCases.GOOD, DockerfileCases.ENTRYPOINT_TYPO))
                        .expect(code("ENTRYPOINT_WITHOUT_EXEC").severity(WARNING).evidence("exec_typo", true)
                                .says("docker-entrypoint.sh", "PID 1")).build());
    }

    private static Scenario.Builder<DockerLab> engine(String id, String story) {
        return Scenario.<DockerLab>of(id, story).target(DockerLab::target).timeout(Duration.ofSeconds(15));
    }

    private static Scenario.Builder<DockerLab> network(String id, String story) {
        return Scenario.<DockerLab>of(id, story).checks("docker-network").target(DockerLab::netTarget)
                .param("pid-file", DockerLab::netPidFile).timeout(Duration.ofSeconds(15));
    }

    private static Scenario.Builder<DockerLab> containers(String id, String story) {
        return engine(id, story).checks("docker-container-health").param("window", "2s");
    }

    private static Scenario.Builder<DockerLab> storage(String id, String story) {
        return engine(id, story).checks("docker-storage");
    }

    private static Scenario.Builder<DockerLab> dockerfile(String id, String story) {
        return Scenario.<DockerLab>of(id, story).checks("dockerfile-lint").target(DockerLab::dockerfile)
                .timeout(Duration.ofSeconds(10));
    }
}
