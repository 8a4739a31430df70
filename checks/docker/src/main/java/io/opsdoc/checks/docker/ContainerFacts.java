package io.opsdoc.checks.docker;

import java.util.List;

/**
 * Every container's state, inspected twice {@code windowMs} apart (restart counts only rise between two looks).
 *
 * @param listed    containers the list returned; only the first {@code inspected} of them were inspected
 */
public record ContainerFacts(String endpoint, long windowMs, int listed, List<Container> containers) {

    /**
     * One container at the second look, with its RestartCount and status at the first.
     *
     * @param memoryLimit        HostConfig.Memory in bytes, 0 for none
     * @param healthcheck        true when Config.Healthcheck has a test other than NONE
     * @param lastHealthOutput   the newest State.Health.Log entry's output, trimmed
     */
    public record Container(String id, String name, String image, String statusBefore, String status,
            long restartCountBefore, long restartCount, long exitCodeBefore, String restartPolicy, boolean oomKilled, long exitCode,
            String finishedAt, String health, long failingStreak, String lastHealthOutput, Long lastHealthExitCode,
            boolean healthcheck, long memoryLimit) {
    }
}
