package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-replication, each a section of the note redis/replication. */
enum ReplicationCode implements CheckCode {
    LINK_DOWN("the replica is not connected to its master"),
    SYNC_IN_PROGRESS("the replica is receiving a full copy of the data set"),
    REPLICA_WRITABLE("the replica accepts writes"),
    MISSING_REPLICAS("fewer online replicas than expected"),
    REPLICA_LAGGING("a replica is behind in bytes or has not acknowledged recently"),
    FULL_SYNCS("full resynchronisations happened during the sample"),
    BACKLOG_TOO_SMALL("the backlog holds less than the allowed reconnection time of writes");

    private final String title;

    ReplicationCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RedisReplication.NOTE;
    }
}
