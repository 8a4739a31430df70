package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-cni, each a section of the note kubernetes/networking. */
enum CniCode implements CheckCode {
    CNI_POD_NOT_READY("the network plugin's agent pod is not Ready, or missing, on some nodes"),
    FLANNEL_UDP_BACKEND("Flannel is configured with the udp backend (debugging only, deprecated)"),
    NETWORK_UNAVAILABLE("nodes report NetworkUnavailable=True: their pod network is not set up");

    private final String title;

    CniCode(String title) {
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
