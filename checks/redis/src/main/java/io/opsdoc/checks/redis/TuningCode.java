package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-host-tuning, sections of the note redis/host-tuning. */
enum TuningCode implements CheckCode {
    THP_ENABLED("Transparent Huge Pages are 'always' and Redis does not opt out: forks and copy-on-write get slow"),
    OVERCOMMIT_DISABLED("vm.overcommit_memory is not 1: a background save's fork can fail for lack of memory"),
    SOMAXCONN_BELOW_TCP_BACKLOG("net.core.somaxconn is below Redis's tcp-backlog: the kernel caps the accept queue"),
    NO_FORK_HEADROOM("the data set may use more than half the machine: a fork's copy-on-write has no room");

    private final String title;

    TuningCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RedisHostTuning.NOTE;
    }
}
