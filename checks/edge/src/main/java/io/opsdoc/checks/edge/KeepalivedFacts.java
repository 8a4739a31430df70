package io.opsdoc.checks.edge;

import java.util.List;

/** What each keepalived peer showed: its addresses, or why it could not be read. */
public record KeepalivedFacts(List<Peer> peers) {

    /**
     * One peer, as {@code user@host:port}: its addresses from {@code ip -o addr show}, or, when it could not be read,
     * the probe error's code and message (addresses then null).
     */
    public record Peer(String peer, List<HostAddress> addresses, String errorCode, String error) {
        boolean readable() {
            return addresses != null;
        }
    }
}
