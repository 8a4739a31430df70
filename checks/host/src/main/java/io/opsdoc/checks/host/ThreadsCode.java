package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-process-threads, sections of the note linux/threads. */
enum ThreadsCode implements CheckCode {
    THREADS_HIGH("a process runs more threads than the threshold"),
    PIDS_LIMIT_NEAR("tasks are close to a limit on their number (a cgroup's pids.max or kernel.threads-max)");

    private final String title;

    ThreadsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxProcessThreads.NOTE;
    }
}
