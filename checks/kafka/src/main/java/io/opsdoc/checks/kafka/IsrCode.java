package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckCode;

/** The finding codes of kafka-isr, each a section of the note kafka/replication-isr. */
enum IsrCode implements CheckCode {
    OFFLINE_PARTITION("partitions without a leader: unreadable and unwritable"),
    UNDER_MIN_ISR("fewer in-sync replicas than min.insync.replicas: acks=all writes fail"),
    AT_MIN_ISR("exactly min.insync.replicas in sync: one more failure stops writes"),
    UNDER_REPLICATED("some replicas are out of the in-sync replica set"),
    REPLICA_ON_DEAD_BROKER("replicas assigned to a broker that is down or gone"),
    RF_EXCEEDS_BROKERS("more replicas than the cluster has brokers"),
    NOT_PREFERRED_LEADER("partitions not led by their preferred replica"),
    UNCLEAN_ELECTION_ENABLED("an out-of-sync replica may become leader and drop acknowledged data");

    private final String title;

    IsrCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KafkaIsr.NOTE;
    }
}
