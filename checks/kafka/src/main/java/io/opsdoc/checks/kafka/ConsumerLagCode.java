package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckCode;

/** The finding codes of kafka-consumer-lag, each a section of the note kafka/consumer-lag. */
enum ConsumerLagCode implements CheckCode {
    STOPPED("lag with no consumer in the group"),
    STALLED("consumers are present but the committed offset does not move while there is lag"),
    LAGGING("the group commits, but slower than producers write: lag grows"),
    REWIND("committed offsets moved backwards: messages will be consumed again");

    private final String title;

    ConsumerLagCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KafkaConsumerLag.NOTE;
    }
}
