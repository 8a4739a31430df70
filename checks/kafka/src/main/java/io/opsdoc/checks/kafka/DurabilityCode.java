package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckCode;

/** The finding codes of kafka-durability-config, each a section of the note kafka/message-loss. */
enum DurabilityCode implements CheckCode {
    REPLICATION_FACTOR_1("topics with a single replica: one broker or disk loss loses data"),
    MIN_ISR_1("min.insync.replicas 1 with RF 3 or more: acks=all is no safer than acks=1"),
    MIN_ISR_EQUALS_RF("min.insync.replicas equals RF: any one broker loss stops writes"),
    UNCLEAN_ELECTION_ENABLED("unclean leader election allowed: acknowledged data may be dropped"),
    INTERNAL_TOPIC_LOW_RF("consumer offsets or transaction state with fewer than 3 replicas");

    private final String title;

    DurabilityCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KafkaDurabilityConfig.NOTE;
    }
}
