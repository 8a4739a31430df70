package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-memory, each a section of the note redis/memory. */
enum MemoryCode implements CheckCode {
    MAXMEMORY_UNSET("no maxmemory: Redis grows until the kernel stops it"),
    MAXMEMORY_ABOVE_SYSTEM_MEMORY("maxmemory is larger than the machine's memory"),
    MEMORY_NEAR_LIMIT("used memory is close to maxmemory"),
    WRITES_REJECTED_OOM(Rules.OOM_TITLE),
    EVICTIONS_ACTIVE(Rules.EVICTIONS_TITLE),
    VOLATILE_POLICY_WITHOUT_TTLS("a volatile-* policy with no key that has a TTL"),
    FRAGMENTATION_HIGH("the process holds much more memory than the data needs");

    private final String title;

    MemoryCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return Rules.MEMORY_NOTE;
    }
}
