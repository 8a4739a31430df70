package io.opsdoc.checks.redis;

import java.util.List;

/**
 * What a Redis check asks the collector for. Kept apart from {@link RedisCollector} so that a check's constants
 * never load the class that links against Jedis.
 *
 * @param window   sample INFO twice, {@code window} apart, for rates
 * @param pings    how many timed PINGs (spread over the window when there is one)
 * @param config   the CONFIG GET names to read
 * @param cluster  on a cluster node, add CLUSTER INFO to the INFO map
 * @param clusterNodes and CLUSTER NODES, as the field {@code cluster_nodes}
 */
record CollectRequest(boolean window, int pings, boolean slowlog, boolean latency, boolean clients, boolean security,
        List<String> config, boolean cluster, boolean clusterNodes) {

    CollectRequest(boolean window, int pings, boolean slowlog, boolean latency, boolean clients, boolean security,
            List<String> config) {
        this(window, pings, slowlog, latency, clients, security, config, false, false);
    }
}
