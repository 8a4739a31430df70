package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-sentinel, each a section of the note redis/sentinel. */
enum SentinelCode implements CheckCode {
    MASTER_UNKNOWN("this Sentinel does not monitor a master by that name"),
    MASTER_ODOWN("the Sentinels agree the master is down"),
    MASTER_SDOWN("this Sentinel sees the master down, without agreement"),
    QUORUM_NOT_REACHABLE("not enough Sentinels are reachable to agree or fail over"),
    TOO_FEW_SENTINELS("fewer than three Sentinels watch the master"),
    NO_HEALTHY_REPLICA("no replica could be promoted"),
    FAILOVER_IN_PROGRESS("this Sentinel is failing the master over right now"),
    RECENT_FAILOVER("the master changed recently (a failover happened)"),
    MASTER_ADDR_DISAGREEMENT("the Sentinels give clients different master addresses");

    private final String title;

    SentinelCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RedisSentinel.NOTE;
    }
}
