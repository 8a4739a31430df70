package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of keepalived-vip, each a section of the note web/keepalived. */
enum KeepalivedCode implements CheckCode {
    VIP_ABSENT("the virtual IP is on none of the peers: clients of the VIP reach nothing"),
    VIP_ON_MULTIPLE_NODES("the virtual IP is on more than one peer at once: split brain (VRRP adverts not heard)"),
    PEER_UNREADABLE("a peer could not be read: whether it holds the virtual IP is unknown"),
    KEEPALIVED_DOWN("keepalived is not running on a peer: the pair has lost its standby (on every peer: nobody holds the VIP)"),
    VRRP_FAULT("a peer's VRRP instance is in FAULT state (a tracked interface, script or file failing): it cannot take the VIP"),
    UNEXPECTED_MASTER("the VIP is not where the VRRP state or the preferred master says it should be"),
    STATE_UNREADABLE("a peer's VRRP state file (state-file) could not be read or holds no state word");

    private final String title;

    KeepalivedCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KeepalivedVip.NOTE;
    }
}
