package io.opsdoc.lab.docker;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
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
                Scenario.<DockerLab>of("docker-api-exposure-healthy", "dockerd listens on its unix socket only")
                        .checks("docker-api-exposure").target(lab -> "local:").param("pid-file", DockerLab::pidFile)
                        .healthy().metrics("docker_api_tcp_listeners").build(),
                Scenario.<DockerLab>of("docker-api-exposure-tcp", "seen from the host: dockerd restarted with "
                        + "-H tcp://127.0.0.1:PORT, no TLS").checks("docker-api-exposure").target(lab -> "local:")
                        .param("pid-file", DockerLab::pidFile).timeout(Duration.ofSeconds(15))
                        .breaks(DockerLab::exposeApiOnTcp)
                        .expect(code("DOCKER_API_UNAUTHENTICATED_TCP").severity(CRITICAL)
                                .evidence("tls", false).evidence("tlsverify", false)
                                .says("listens on TCP 127.0.0.1:", "without TLS", "root on this host")).build(),
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
