package io.opsdoc.checks.host;

import java.util.List;

/**
 * What dns-resolution saw: the host's resolver configuration as read through the host transport (null when the
 * file does not exist), the nameservers asked from where opsdoc runs, those it could not ask from here, and one
 * lookup per name and nameserver.
 */
public record DnsFacts(String resolvConfPath, String resolvConf, List<String> asked, List<String> notAsked,
        List<Lookup> lookups) {

    /**
     * One name asked of one nameserver: the rcode of the answer (null when none came), the addresses in it, the time
     * from the first try to the answer, how many tries were sent, and why there was no answer
     * ({@code TIMEOUT}, {@code REFUSED} for an ICMP port unreachable, or {@code ERROR}).
     */
    public record Lookup(String name, String type, String server, String rcode, List<String> addresses, double millis,
            int tries, String failure, String error) {
    }
}
