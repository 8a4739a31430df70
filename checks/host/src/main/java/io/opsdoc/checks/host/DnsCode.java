package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of dns-resolution, sections of the note network/dns. */
enum DnsCode implements CheckCode {
    NAME_NOT_FOUND("a nameserver says the name does not exist (NXDOMAIN) or has no address of the type asked"),
    RESOLVER_ERROR("a nameserver answered with an error (SERVFAIL, REFUSED …) instead of an answer"),
    NAMESERVER_DOWN("a nameserver gave no answer (timeout) or refused the query at the network level"),
    RESOLVER_SLOW("a nameserver answered, but slower than the threshold (often: a lost query and a retry)"),
    ADDRESS_MISMATCH("the name resolves, but not to the expected address"),
    NO_NAMESERVER("the resolver configuration names no nameserver (or is missing)"),
    NAMESERVERS_IGNORED("the resolver configuration names more than three nameservers: the rest are never asked");

    private final String title;

    DnsCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return DnsResolution.NOTE;
    }
}
