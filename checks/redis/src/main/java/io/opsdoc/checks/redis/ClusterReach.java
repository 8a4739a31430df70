package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckContext;
import java.util.ArrayList;
import java.util.List;

/** Whether the probe host reaches each cluster node that CLUSTER NODES lists, on its client port and its bus port. */
final class ClusterReach {
    private ClusterReach() {
    }

    /**
     * TCP connects from the probe host to every node's client port and cluster bus port (CLUSTER NODES gives
     * {@code ip:port@busport}, on 7.0+ followed by {@code ,hostname}); each connect gets a share of the time left,
     * at most 1 s. Nodes without an address (noaddr, handshake) are left out.
     */
    static List<RedisFacts.NodeReach> reach(CheckContext context, String nodes) {
        List<RedisFacts.NodeReach> out = new ArrayList<>();
        List<String[]> addrs = new ArrayList<>();
        for (RedisCluster.Node n : RedisCluster.nodes(nodes)) {
            String[] hp = RedisCluster.hostPorts(n.fullAddr());
            if (hp != null && !n.flags().contains("noaddr") && !n.flags().contains("handshake")) {
                addrs.add(hp);
            }
        }
        for (String[] hp : addrs) {
            int budget = (int) Math.min(1_000, Math.max(50, context.remainingMillis() / (2L * addrs.size() + 2)));
            out.add(new RedisFacts.NodeReach(hp[0] + ":" + hp[1] + "@" + hp[2], tcp(hp[0], hp[1], budget),
                    tcp(hp[0], hp[2], budget)));
        }
        return out;
    }

    private static String tcp(String host, String port, int timeoutMs) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, Integer.parseInt(port)), timeoutMs);
            return "ok";
        } catch (java.net.ConnectException e) {
            return "refused";
        } catch (java.net.SocketTimeoutException e) {
            return "timeout";
        } catch (java.io.IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
