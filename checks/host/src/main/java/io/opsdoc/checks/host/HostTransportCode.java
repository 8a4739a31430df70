package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.FindingCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The ssh:// transport's own reasons not to decide (severity UNKNOWN), documented in the note linux/ssh-transport.
 * Every host check declares them besides its own codes, because every host check can meet them.
 */
enum HostTransportCode implements CheckCode {
    SSH_HOST_KEY_UNKNOWN("the SSH host key is not in known_hosts: refused"),
    SSH_HOST_KEY_CHANGED("the SSH host key differs from known_hosts: refused");

    static final String NOTE = "linux/ssh-transport";

    private final String title;

    HostTransportCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return NOTE;
    }

    /** A host check's codes: its own enum's, then the transport's. */
    static <E extends Enum<E> & CheckCode> List<FindingCode> with(Class<E> own) {
        List<FindingCode> all = new ArrayList<>(CheckCode.declarations(own));
        all.addAll(CheckCode.declarations(HostTransportCode.class));
        return all;
    }
}
