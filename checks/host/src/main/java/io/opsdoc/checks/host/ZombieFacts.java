package io.opsdoc.checks.host;

import java.util.List;

/**
 * What linux-zombies read from {@code /proc/[pid]/stat}: the processes in state Z and the processes that are their
 * parents (the ones to act on), plus how many processes there were in all.
 */
public record ZombieFacts(int processes, List<Task> zombies, List<Task> parents) {

    /** One process as its stat line gives it. */
    public record Task(long pid, String command, String state, long ppid) {
    }
}
