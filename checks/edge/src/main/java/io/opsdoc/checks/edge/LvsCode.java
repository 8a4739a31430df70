package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of lvs-virtual-services, each a section of the note web/lvs. */
enum LvsCode implements CheckCode {
    VS_NO_REAL_SERVERS("a virtual service has no real server: IPVS drops or resets every connection to it"),
    ALL_WEIGHTS_ZERO("every real server of a virtual service has weight 0: no new connection is scheduled");

    private final String title;

    LvsCode(String title) {
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
