package io.opsdoc.checks.edge;

import java.util.List;

/** What each keepalived peer showed: its addresses, its keepalived processes and VRRP state, or why it could not be read. */
public record KeepalivedFacts(List<Peer> peers) {

    /**
     * One peer, as {@code user@host:port}: its addresses from {@code ip -o addr show}, or, when it could not be read,
     * the probe error's code and message (addresses then null).
     *
     * @param keepalived the live (not zombie) processes named keepalived in its /proc; null when not looked at or when
     *                   /proc hides other users' processes (hidepid), so that no answer is not read as "not running"
     * @param state      the first word of the state file ({@code state-file}): MASTER, BACKUP, FAULT, STOP...; null
     *                   when no state file is configured or it could not be read
     * @param stateError why the state file could not be read (never its content), else null
     */
    public record Peer(String peer, List<HostAddress> addresses, String errorCode, String error, Integer keepalived,
            String state, String stateError) {

        public Peer(String peer, List<HostAddress> addresses, String errorCode, String error) {
            this(peer, addresses, errorCode, error, null, null, null);
        }

        boolean readable() {
            return addresses != null;
        }

        /** Whether it holds {@code vip}. */
        boolean holds(String vip) {
            return readable() && addresses.stream().anyMatch(a -> a.address().equals(vip));
        }
    }
}
