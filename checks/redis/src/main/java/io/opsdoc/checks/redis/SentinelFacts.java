package io.opsdoc.checks.redis;

import java.util.List;
import java.util.Map;

/**
 * What {@code redis-sentinel} reads from one Sentinel, unchanged.
 *
 * @param asked   the master name from the target URI, or null when every monitored master was asked for
 * @param masters one view per monitored master (empty when the asked name is not monitored by this Sentinel)
 */
public record SentinelFacts(String asked, List<MasterView> masters) {

    /**
     * @param master    {@code SENTINEL MASTER name} as field to value (flags, num-other-sentinels, quorum, ...)
     * @param ckquorum  the reply of {@code SENTINEL CKQUORUM name}, or its error text
     * @param quorumOk  CKQUORUM answered OK
     * @param replicas  {@code SENTINEL REPLICAS name}, one map per replica
     * @param sentinels {@code SENTINEL SENTINELS name}, one map per other Sentinel
     * @param masterAddr this Sentinel's {@code SENTINEL GET-MASTER-ADDR-BY-NAME name} as {@code ip:port} (null: none)
     * @param peers      the same question put to each of the other Sentinels
     */
    public record MasterView(String name, Map<String, String> master, String ckquorum, boolean quorumOk,
            List<Map<String, String>> replicas, List<Map<String, String>> sentinels, String masterAddr,
            List<PeerAnswer> peers) {
    }

    /**
     * What another Sentinel of the group answers for the master's address.
     *
     * @param sentinel   the Sentinel asked, {@code ip:port} as this Sentinel knows it
     * @param masterAddr its answer as {@code ip:port}; null when it had none or could not be asked
     * @param error      why it could not be asked (refused, timeout, auth), or null
     */
    public record PeerAnswer(String sentinel, String masterAddr, String error) {
    }
}
