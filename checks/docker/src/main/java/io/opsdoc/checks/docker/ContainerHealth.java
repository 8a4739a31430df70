package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.ContainerCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which containers are sick: unhealthy by their own HEALTHCHECK, looping through restarts, killed by the OOM killer
 * at their memory limit, or stopped with an error. {@code docker ps -a} plus {@code docker inspect}, twice a window
 * apart, read-only.
 */
public final class ContainerHealth extends EngineCheck<ContainerFacts> {
    public static final String ID = "docker-container-health";
    /** Two inspects per container: a host with thousands is read in part, and the evidence says so. */
    static final int MAX_INSPECTED = 300;
    private static final int OUTPUT_CHARS = 300;

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("window", ParameterType.DURATION,
            "5s", "time between the two looks at RestartCount (fitted to --timeout); 0 looks once"));

    public ContainerHealth() {
        super(ID, "Are the containers healthy: no failing HEALTHCHECK, restart loop, OOM kill or error exit?",
                ContainerFacts.class, PARAMETERS, ContainerCode.class,
                DockerGrants.of(List.of("GET /containers/json?all=1", "GET /containers/{id}/json")));
    }



    @Override
    public ContainerFacts collect(CheckContext context) throws Exception {
        JsonNode list = EngineClient.json(context, "/containers/json?all=1");
        List<String> ids = new ArrayList<>();
        list.forEach(c -> ids.add(c.path("Id").asText()));
        List<String> inspected = ids.subList(0, Math.min(ids.size(), MAX_INSPECTED));
        Map<String, JsonNode> before = inspect(context, inspected);
        Duration window = SamplingWindow.fit(context.parameters().duration("window"), context.remaining());
        long t0 = System.nanoTime();
        if (!window.isZero()) {
            Thread.sleep(window.toMillis());
        }
        Map<String, JsonNode> after = window.isZero() ? before : inspect(context, inspected);
        long windowMs = window.isZero() ? 0 : (System.nanoTime() - t0) / 1_000_000;
        List<ContainerFacts.Container> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            JsonNode b = before.getOrDefault(e.getKey(), e.getValue());
            out.add(container(b, e.getValue()));
        }
        return new ContainerFacts(EngineEndpoint.of(context.target()).where(), windowMs, ids.size(), out);
    }

    /** Inspects each id; one removed meanwhile (404) is simply gone. */
    private static Map<String, JsonNode> inspect(CheckContext context, List<String> ids)
            throws ProbeException, InterruptedException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                out.put(id, EngineClient.json(context, "/containers/" + id + "/json"));
            } catch (ProbeException e) {
                if (!e.getMessage().contains(" answered 404")) {
                    throw e;
                }
            }
        }
        return out;
    }

    private static ContainerFacts.Container container(JsonNode before, JsonNode c) {
        JsonNode state = c.path("State");
        JsonNode health = state.path("Health");
        JsonNode log = health.path("Log");
        JsonNode last = log.isArray() && log.size() > 0 ? log.get(log.size() - 1) : null;
        JsonNode test = c.path("Config").path("Healthcheck").path("Test");
        boolean hc = test.isArray() && test.size() > 0 && !"NONE".equals(test.get(0).asText());
        String output = last == null ? null : last.path("Output").asText("").strip();
        if (output != null && output.length() > OUTPUT_CHARS) {
            output = output.substring(0, OUTPUT_CHARS) + "…";
        }
        String name = c.path("Name").asText("");
        return new ContainerFacts.Container(c.path("Id").asText("").substring(0, Math.min(12, c.path("Id").asText("").length())),
                name.startsWith("/") ? name.substring(1) : name, c.path("Config").path("Image").asText(null),
                before.path("State").path("Status").asText(null), state.path("Status").asText(null),
                before.path("RestartCount").asLong(), c.path("RestartCount").asLong(),
                before.path("State").path("ExitCode").asLong(),
                c.path("HostConfig").path("RestartPolicy").path("Name").asText(""), state.path("OOMKilled").asBoolean(),
                state.path("ExitCode").asLong(), state.path("FinishedAt").asText(null),
                health.isMissingNode() || health.isNull() ? null : health.path("Status").asText(null),
                health.path("FailingStreak").asLong(), output, last == null ? null : last.path("ExitCode").asLong(), hc,
                c.path("HostConfig").path("Memory").asLong());
    }

    @Override
    public void evaluate(ContainerFacts f, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("docker_containers", f.listed(), ""));
        long running = f.containers().stream().filter(c -> "running".equals(c.status())).count();
        out.metric(Metric.of("docker_containers_running", running, ""));
        List<String> noHealthcheck = new ArrayList<>();
        int unhealthy = 0;
        for (ContainerFacts.Container c : f.containers()) {
            String who = "container " + c.name() + " (" + c.image() + ")";
            boolean restarting = "restarting".equals(c.status()) || "restarting".equals(c.statusBefore())
                    || c.restartCount() > c.restartCountBefore();
            if (restarting) {
                long rose = c.restartCount() - c.restartCountBefore();
                // a running container shows ExitCode 0: the last exit is known only from a look between two runs
                Long exit = c.exitCode() != 0 ? Long.valueOf(c.exitCode()) : c.exitCodeBefore() != 0 ? Long.valueOf(c.exitCodeBefore()) : null;
                out.finding(RESTARTING, Severity.CRITICAL, who + " is in a restart loop: RestartCount " + c.restartCount()
                        + (rose > 0 ? ", +" + rose + " in " + f.windowMs() + " ms" : "")
                        + (exit != null ? ", last exit code " + exit : ", running at both looks (exit code not seen)")
                        + " (restart policy " + c.restartPolicy() + "); docker logs " + c.name()
                        + " shows why PID 1 keeps exiting",
                        Evidence.of("container", c.name(), "restart_count", c.restartCount(), "restart_count_before",
                                c.restartCountBefore(), "window_ms", f.windowMs(), "restart_policy", c.restartPolicy(),
                                "status", c.status()).putIfPresent("last_exit_code", exit), c.name());
            }
            if (c.oomKilled()) {
                out.finding(OOM_KILLED, Severity.CRITICAL, who + " was OOM-killed: its process reached the memory "
                        + "limit of " + limit(c.memoryLimit()) + " and the kernel killed it (exit code " + c.exitCode()
                        + ", finished " + c.finishedAt() + ")",
                        Evidence.of("container", c.name(), "memory_limit_bytes", c.memoryLimit(), "exit_code", c.exitCode(),
                                "status", c.status(), "finished_at", c.finishedAt()), c.name());
            } else if (!restarting && ("exited".equals(c.status()) || "dead".equals(c.status())) && c.exitCode() != 0) {
                out.finding(EXITED_NONZERO, Severity.WARNING, who + " exited with code " + c.exitCode() + describe(c.exitCode())
                        + " at " + c.finishedAt() + " and is not restarted" + (c.restartPolicy().isEmpty()
                                || c.restartPolicy().equals("no") ? " (restart policy no)" : ""),
                        Evidence.of("container", c.name(), "exit_code", c.exitCode(), "finished_at", c.finishedAt(),
                                "restart_policy", c.restartPolicy()), c.name());
            }
            if ("unhealthy".equals(c.health())) {
                unhealthy++;
                out.finding(UNHEALTHY, Severity.CRITICAL, who + " is unhealthy: its HEALTHCHECK failed " + c.failingStreak()
                        + " time(s) in a row; last check exit code " + c.lastHealthExitCode() + ", output: "
                        + (c.lastHealthOutput() == null || c.lastHealthOutput().isEmpty() ? "(none)" : c.lastHealthOutput())
                        + "; Docker does not restart an unhealthy container by itself",
                        Evidence.of("container", c.name(), "failing_streak", c.failingStreak(), "last_exit_code",
                                c.lastHealthExitCode(), "last_output", c.lastHealthOutput(), "status", c.status()), c.name());
            }
            if ("running".equals(c.status()) && !c.healthcheck()) {
                noHealthcheck.add(c.name());
            }
        }
        out.metric(Metric.of("docker_containers_unhealthy", unhealthy, ""));
        if (!noHealthcheck.isEmpty()) {
            out.finding(NO_HEALTHCHECK, Severity.INFO, noHealthcheck.size() + " running container(s) without a "
                    + "HEALTHCHECK: " + String.join(", ", noHealthcheck.stream().limit(20).toList())
                    + (noHealthcheck.size() > 20 ? ", …" : "") + "; a hung process looks healthy to Docker",
                    Evidence.of("containers", noHealthcheck.stream().limit(50).toList(), "count", noHealthcheck.size()));
        }
        if (f.listed() > f.containers().size() && f.listed() > MAX_INSPECTED) {
            out.metric(Metric.of("docker_containers_not_inspected", f.listed() - MAX_INSPECTED, ""));
        }
    }

    private static String limit(long bytes) {
        return bytes <= 0 ? "(no container limit: the host's or a parent cgroup's)" : bytes / (1024 * 1024) + " MiB";
    }

    private static String describe(long code) {
        if (code == 137) {
            return " (SIGKILL: docker kill, the OOM killer outside the container's limit, or a stop timeout)";
        }
        if (code == 143) {
            return " (SIGTERM not handled as a clean exit)";
        }
        if (code == 126 || code == 127) {
            return " (the command could not be run or was not found)";
        }
        return "";
    }
}
