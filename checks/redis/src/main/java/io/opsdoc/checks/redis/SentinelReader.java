package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisFailures.firstWord;
import static io.opsdoc.checks.redis.RedisFailures.networkCause;
import static io.opsdoc.checks.redis.RedisSession.text;

import io.opsdoc.checks.redis.RedisSession.Cmd;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** What one Sentinel says about its masters (SENTINEL MASTER(S), CKQUORUM, REPLICAS, SENTINELS), and what its peers say. */
final class SentinelReader {
    /** Time left below which other Sentinels are no longer asked for the master's address. */
    private static final long PEER_RESERVE_MS = 500;

    private SentinelReader() {
    }

    static SentinelFacts read(Jedis jedis, CheckContext context, String checkId, String name) throws Exception {
        RedisSession s = new RedisSession(jedis, context, checkId);
        List<String> names = new ArrayList<>();
        if (name != null) {
            names.add(name);
        } else {
            for (Object m : (List<?>) s.call(Cmd.SENTINEL, "MASTERS")) {
                names.add(pairs((List<?>) m).get("name"));
            }
        }
        List<SentinelFacts.MasterView> views = new ArrayList<>();
        for (String n : names) {
            Map<String, String> master;
            try {
                master = pairs((List<?>) s.call(Cmd.SENTINEL, "MASTER", n));
            } catch (ProbeException e) {
                if (e.getMessage().contains("No such master")) {
                    continue;
                }
                throw e;
            }
            String ckquorum;
            boolean ok;
            try {
                ckquorum = text(s.call(Cmd.SENTINEL, "CKQUORUM", n));
                ok = true;
            } catch (ProbeException e) {
                if (e.code() != ProbeErrors.PROBE_FAILED) {
                    throw e;
                }
                ckquorum = e.getMessage().replaceFirst("^SENTINEL CKQUORUM failed: ", "");
                ok = false;
            }
            List<Map<String, String>> replicas = listOfPairs(s.call(Cmd.SENTINEL, "REPLICAS", n));
            List<Map<String, String>> others = listOfPairs(s.call(Cmd.SENTINEL, "SENTINELS", n));
            String addr = address(s.call(Cmd.SENTINEL, "GET-MASTER-ADDR-BY-NAME", n));
            List<SentinelFacts.PeerAnswer> peers = new ArrayList<>();
            for (Map<String, String> other : others) {
                // the peers come last and never take the time the answer itself needs
                peers.add(context.remainingMillis() < PEER_RESERVE_MS
                        ? new SentinelFacts.PeerAnswer(other.get("ip") + ":" + other.get("port"), null, "not asked: deadline")
                        : askPeer(context, other.get("ip"), other.get("port"), n));
            }
            views.add(new SentinelFacts.MasterView(n, master, ckquorum, ok, replicas, others, addr, peers));
        }
        return new SentinelFacts(name, views);
    }

    /** {@code [ip, port]} (GET-MASTER-ADDR-BY-NAME) as {@code ip:port}; null for a nil reply. */
    private static String address(Object reply) {
        if (!(reply instanceof List<?> l) || l.size() < 2) {
            return null;
        }
        return text(l.get(0)) + ":" + text(l.get(1));
    }

    /**
     * Asks another Sentinel of the group where the master is, with the probe's credentials, on a connection that
     * gets at most a third of the time left (at most 2 s), so dead peers cannot eat the deadline.
     */
    private static SentinelFacts.PeerAnswer askPeer(CheckContext context, String host, String port, String name) {
        String who = host + ":" + port;
        int budget = (int) Math.min(2_000, Math.max(100, (context.remainingMillis() - PEER_RESERVE_MS) / 3));
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(budget).socketTimeoutMillis(budget)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false).clientName("opsdoc");
        if (context.password().isPresent()) {
            context.target().user().ifPresent(config::user);
            config.password(context.password().get().reveal());
        }
        try (Jedis j = new Jedis(new HostAndPort(host, Integer.parseInt(port)), config.build())) {
            return new SentinelFacts.PeerAnswer(who, address(j.sendCommand(Cmd.SENTINEL, "GET-MASTER-ADDR-BY-NAME", name)), null);
        } catch (JedisDataException e) {
            return new SentinelFacts.PeerAnswer(who, null, firstWord(String.valueOf(e.getMessage()).trim()));
        } catch (JedisException | NumberFormatException e) {
            Exception cause = e instanceof JedisException je ? networkCause(je) : e;
            return new SentinelFacts.PeerAnswer(who, null, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
    }

    private static List<Map<String, String>> listOfPairs(Object reply) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Object o : (List<?>) reply) {
            out.add(pairs((List<?>) o));
        }
        return out;
    }

    private static Map<String, String> pairs(List<?> flat) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return out;
    }
}
