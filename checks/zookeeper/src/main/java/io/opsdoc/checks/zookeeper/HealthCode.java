package io.opsdoc.checks.zookeeper;

import io.opsdoc.core.CheckCode;

/** The finding codes of zookeeper-health, sections of the note zookeeper/server-health. */
enum HealthCode implements CheckCode {
    FD_NEAR_LIMIT("a member's open file descriptors are close to its limit"),
    LATENCY_HIGH("a member's average request latency is above the threshold"),
    REQUESTS_QUEUEING("requests are queueing on a member (zk_outstanding_requests)"),
    DATA_SIZE_LARGE("the data tree a member holds in memory (zk_approximate_data_size) is above the threshold"),
    WATCH_COUNT_HIGH("a member holds more watches than the threshold (zk_watch_count)"),
    FOUR_LETTER_WORDS_NOT_ALLOWED("mntr is not in the member's 4lw.commands.whitelist: no metrics from it"),
    MEMBER_NOT_MEASURED("a member did not answer mntr (down or not serving): no metrics from it");

    private final String title;

    HealthCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ZookeeperHealth.NOTE;
    }
}
