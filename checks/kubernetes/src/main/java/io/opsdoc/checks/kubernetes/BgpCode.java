package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-calico-bgp, each a section of the note kubernetes/networking. */
enum BgpCode implements CheckCode {
    BGP_PEER_DOWN("a BGP session of this node's BIRD (Calico) is not Established"),
    BGP_NO_PEERS("BIRD answers but runs no BGP session: this node exchanges no pod routes");

    private final String title;

    BgpCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return CniHealth.NOTE;
    }
}
