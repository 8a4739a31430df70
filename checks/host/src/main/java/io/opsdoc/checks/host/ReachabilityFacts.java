package io.opsdoc.checks.host;

import java.util.List;

/** What host-reachability saw: per host, each probe's round trip in ms (null: unanswered) and the last error. */
public record ReachabilityFacts(List<Peer> peers, long probeTimeoutMillis) {

    public record Peer(String host, String address, List<Double> rttMillis, String error) {
        long answered() {
            return rttMillis.stream().filter(r -> r != null).count();
        }
    }
}
