package io.opsdoc.checks.rabbitmq;

import io.opsdoc.core.CheckCode;

/** The codes of {@code rabbitmq-backlog}. */
public enum BacklogCode implements CheckCode {
    BACKLOG_HIGH("a queue holds more ready messages than the threshold"),
    BACKLOG_GROWING("a queue's depth grew over the window"),
    NO_CONSUMERS("a queue holds messages and has no consumer"),
    UNACKED_PILING_UP("consumers hold more unacknowledged messages than the threshold"),
    CONSUME_RATE_BELOW_PUBLISH("messages were published faster than they were delivered over the window"),
    HEAD_MESSAGE_OLD("the oldest message in a queue has waited longer than the threshold");

    private final String title;

    BacklogCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return QueueBacklog.NOTE;
    }
}
