package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of lvs-realserver-prereqs, each a section of the note web/lvs. */
enum LvsRealServerCode implements CheckCode {
    VIP_NOT_ON_LOOPBACK("a DR/TUN real server does not hold the VIP on lo (or holds it on an interface that answers ARP)"),
    ARP_NOT_SUPPRESSED("arp_ignore/arp_announce let the real server answer or announce ARP for the VIP");

    private final String title;

    LvsRealServerCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LvsRealServer.NOTE;
    }
}
