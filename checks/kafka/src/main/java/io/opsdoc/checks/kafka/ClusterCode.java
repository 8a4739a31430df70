package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckCode;

/** The finding codes of kafka-cluster, each a section of the note kafka/cluster. */
enum ClusterCode implements CheckCode {
    BROKER_MISSING("fewer live brokers than expected, or registered brokers fenced"),
    QUORUM_LAGGING("a metadata quorum member has not caught up with the leader recently"),
    LOG_DIR_FILLING("a broker log directory is nearly full");

    private final String title;

    ClusterCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KafkaCluster.NOTE;
    }
}
