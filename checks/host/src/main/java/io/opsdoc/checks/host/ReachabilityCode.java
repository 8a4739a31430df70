package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of host-reachability, sections of the note network/host-reachability. */
enum ReachabilityCode implements CheckCode {
    HOST_UNREACHABLE("no echo request to the host was answered"),
    PACKET_LOSS("some echo requests to the host went unanswered: loss at or above the threshold");

    private final String title;

    ReachabilityCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return HostReachability.NOTE;
    }
}
