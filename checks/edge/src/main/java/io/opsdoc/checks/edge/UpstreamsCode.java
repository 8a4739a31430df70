package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckCode;

/** The finding codes of nginx-upstreams, each a section of the note nginx/upstreams. */
enum UpstreamsCode implements CheckCode {
    UPSTREAM_SERVER_DOWN("a server of an upstream does not answer the probe, others of its group do"),
    ALL_UPSTREAMS_DOWN("no server of an upstream answers the probe: nginx answers 502 for it"),
    NO_PASSIVE_CHECK("an upstream server has max_fails=0: nginx never takes it out of rotation"),
    LOG_UPSTREAM_REFUSED("error log: connect() failed (111: Connection refused) while connecting to upstream (502)"),
    LOG_UPSTREAM_TIMED_OUT("error log: upstream timed out (110: Connection timed out) (504)"),
    LOG_NO_LIVE_UPSTREAMS("error log: no live upstreams while connecting to upstream (502)"),
    LOG_UPSTREAM_CLOSED_EARLY("error log: upstream prematurely closed connection while reading response header (502)");

    private final String title;

    UpstreamsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return NginxUpstreams.NOTE;
    }
}
