package io.opsdoc.checks.memcached;

import io.opsdoc.core.CheckCode;

/** The finding codes of memcached-stats, sections of the note memcached/stats. */
enum StatsCode implements CheckCode {
    CONNECTIONS_NEAR_MAX("open connections are close to maxconns (-c)"),
    LISTEN_DISABLED("memcached stopped accepting connections during the window (listen_disabled_num rose)"),
    EVICTING("items were evicted to make room during the window: the cache is too small for its working set"),
    HIT_RATIO_LOW("the share of gets that found their key was low during the window");

    private final String title;

    StatsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MemcachedStats.NOTE;
    }
}
