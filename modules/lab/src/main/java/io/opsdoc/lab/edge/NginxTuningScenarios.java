package io.opsdoc.lab.edge;

import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * nginx-status with config-file: the configuration nginx runs (and its master's open-file limit) judged, on a
 * Debian nginx of its own whose nginx.conf each fault rewrites and reloads. Every fault is a setting nginx is
 * running with when the check reads it, never a race.
 */
public final class NginxTuningScenarios implements ScenarioSet<NginxTuningLab> {
    private static final List<String> CONFIG_CODES = List.of("WORKERS_NE_CPUS", "WORKER_CONNECTIONS_OVER_FD_LIMIT",
            "CLIENT_KEEPALIVE_OFF", "UPSTREAM_NO_KEEPALIVE", "CONNECTIONS_DROPPED", "NEAR_WORKER_CONNECTION_LIMIT");

    @Override
    public String system() {
        return "nginx-tuning";
    }

    @Override
    public String description() {
        return "Debian nginx with worker_processes auto, proxying /api/ to itself through an upstream with keepalive; "
                + "faults rewrite nginx.conf and reload it, or lower the master's open-file limit with prlimit (< 1 s "
                + "to start)";
    }

    @Override
    public List<LabVariant<NginxTuningLab>> variants() {
        return List.of(new LabVariant<>("debian", NginxTuningLab::unavailable, NginxTuningLab::start,
                NginxTuningLab::shared));
    }

    @Override
    public List<Scenario<NginxTuningLab>> scenarios() {
        return List.of(
                tuning("nginx-config-healthy", "worker_processes auto, worker_connections 256 far below the "
                        + "open-file limit, keepalive to clients and to the upstream").healthy()
                        .metrics("nginx_worker_processes", "nginx_worker_connections", "nginx_worker_fd_limit",
                                "nginx_connections_used_percent").build(),
                only(tuning("nginx-too-many-workers", "worker_processes set to the CPUs + 2 and reloaded")
                        .breaks(NginxTuningLab::tooManyWorkers), "WORKERS_NE_CPUS")
                        .expect(code("WORKERS_NE_CPUS").severity(WARNING).says("do not add capacity")).build(),
                only(tuning("nginx-fd-limit-below-connections", "the master runs under a 128-file limit (as with "
                        + "LimitNOFILE=128) and was reloaded: its workers may open fewer files than worker_connections "
                        + "256, and nginx warned about it").breaks(NginxTuningLab::lowFdLimit),
                        "WORKER_CONNECTIONS_OVER_FD_LIMIT")
                        .expect(code("WORKER_CONNECTIONS_OVER_FD_LIMIT").severity(WARNING)
                                .evidence("fd_limit", (long) NginxTuningLab.LOW_NOFILE)
                                .evidence("worker_connections", NginxTuningLab.WORKER_CONNECTIONS)
                                .says("Too many open files")).build(),
                only(tuning("nginx-client-keepalive-off", "keepalive_timeout 0 in the server block, reloaded: nginx "
                        + "answers every request with Connection: close").breaks(NginxTuningLab::clientKeepaliveOff),
                        "CLIENT_KEEPALIVE_OFF")
                        .expect(code("CLIENT_KEEPALIVE_OFF").severity(WARNING).says("keepalive_timeout 0")).build(),
                only(tuning("nginx-upstream-no-keepalive", "the upstream /api/ proxies to lost its keepalive "
                        + "directive, reloaded").breaks(NginxTuningLab::upstreamKeepaliveOff), "UPSTREAM_NO_KEEPALIVE")
                        .expect(code("UPSTREAM_NO_KEEPALIVE").severity(WARNING).evidence("upstream", "self")
                                .says("upstream self", "has no keepalive")).build());
    }

    private static Scenario.Builder<NginxTuningLab> tuning(String id, String story) {
        return Scenario.<NginxTuningLab>of(id, story).checks("nginx-status").target(NginxTuningLab::target)
                .param("window", "200ms").param("config-file", NginxTuningLab::configFile)
                .timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<NginxTuningLab> only(Scenario.Builder<NginxTuningLab> b, String... present) {
        List<String> p = List.of(present);
        return b.absent(CONFIG_CODES.stream().filter(c -> !p.contains(c)).toArray(String[]::new));
    }
}
