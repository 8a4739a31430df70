package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of keepalived-vip, each a section of the note web/keepalived. */
enum KeepalivedCode implements CheckCode {
    VIP_ABSENT("the virtual IP is on none of the peers: clients of the VIP reach nothing"),
    VIP_ON_MULTIPLE_NODES("the virtual IP is on more than one peer at once: split brain (VRRP adverts not heard)"),
    PEER_UNREADABLE("a peer could not be read: whether it holds the virtual IP is unknown");

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
