package io.opsdoc.checks.zookeeper;

import io.opsdoc.core.CheckCode;

/** The finding codes of zookeeper-quorum, sections of the note zookeeper/quorum-and-failures. */
enum QuorumCode implements CheckCode {
    QUORUM_LOST("no member serves requests: the ensemble has no quorum and refuses reads and writes"),
    MULTIPLE_LEADERS("more than one member says it is the leader: the list spans separate ensembles"),
    MEMBER_DOWN("a member of the ensemble does not answer"),
    MEMBER_NOT_SERVING("a member answers but is not currently serving requests"),
    FOUR_LETTER_WORDS_NOT_ALLOWED("a four-letter word the check uses is not in 4lw.commands.whitelist"),
    ENSEMBLE_SIZE_RISKY("the ensemble has fewer than 3 voting members, or an even number");

    private final String title;

    QuorumCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ZookeeperQuorum.NOTE;
    }
}
