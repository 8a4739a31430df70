package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-arp, sections of the note network/arp. */
enum ArpCode implements CheckCode {
    ARP_INCOMPLETE("neighbours this host tried to reach did not answer ARP (incomplete or failed entries)"),
    ARP_TABLE_NEAR_FULL("the IPv4 neighbour table is close to gc_thresh3, past which new neighbours are refused");

    private final String title;

    ArpCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxArp.NOTE;
    }
}
