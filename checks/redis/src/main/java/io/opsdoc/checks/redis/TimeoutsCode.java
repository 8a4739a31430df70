package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/**
 * The finding codes of redis-timeouts. Most are sections of redis/client-timeouts; the causes it shares with
 * redis-memory, redis-persistence and redis-cluster keep the section of the note that explains them.
 */
enum TimeoutsCode implements CheckCode {
    RTT_HIGH(RedisTimeouts.NOTE, "round trips from the probe host are slow"),
    CLIENTS_NEAR_MAXCLIENTS(RedisTimeouts.NOTE, "connected clients are close to maxclients"),
    CONNECTIONS_REJECTED(RedisTimeouts.NOTE, "new connections are being refused (maxclients reached)"),
    WRITES_REJECTED_OOM(Rules.MEMORY_NOTE, Rules.OOM_TITLE),
    EVICTIONS_ACTIVE(Rules.MEMORY_NOTE, Rules.EVICTIONS_TITLE),
    SLOW_COMMANDS(RedisTimeouts.NOTE, "slow commands hold the single command thread"),
    LATENCY_EVENTS(RedisTimeouts.NOTE, "the latency monitor recorded recent spikes"),
    BLOCKED_CLIENTS(RedisTimeouts.NOTE, "clients are blocked in BLPOP/BRPOP/XREAD/WAIT-style commands"),
    OUTPUT_BUFFER_PRESSURE(RedisTimeouts.NOTE, "clients have large unread replies queued on the server"),
    SLOW_FORK(Rules.PERSISTENCE_NOTE, Rules.SLOW_FORK_TITLE),
    BACKGROUND_SAVE_RUNNING(Rules.PERSISTENCE_NOTE, Rules.BACKGROUND_SAVE_TITLE),
    CLUSTER_STATE_FAIL(RedisCluster.NOTE, ClusterCode.CLUSTER_STATE_FAIL.title());

    private final String note;
    private final String title;

    TimeoutsCode(String note, String title) {
        this.note = note;
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return note;
    }
}
