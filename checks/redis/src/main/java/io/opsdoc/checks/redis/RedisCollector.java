package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisConnection.failing;
import static io.opsdoc.checks.redis.RedisConnection.lease;
import static io.opsdoc.checks.redis.RedisFailures.classified;
import static io.opsdoc.checks.redis.RedisSession.text;

import io.opsdoc.checks.redis.RedisFacts.ClientEntry;
import io.opsdoc.checks.redis.RedisFacts.DefaultUser;
import io.opsdoc.checks.redis.RedisFacts.LatencyEvent;
import io.opsdoc.checks.redis.RedisFacts.SlowlogEntry;
import io.opsdoc.checks.redis.RedisSession.Cmd;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a Redis check's collect() calls: CONFIG GET, INFO, CLUSTER INFO/NODES, the timed PINGs and LATENCY LATEST are
 * read here, the rest by the readers ({@link SlowlogReader}, {@link ClientListReader}, {@link SecurityReader},
 * {@link ClusterReach}, {@link SentinelReader}) on a {@link RedisSession} from {@link RedisConnection}.
 *
 * <p>These are the only classes of the family that touch Jedis: loaded when a Redis check's collect() runs, never
 * before. Each read gets the time left as its socket timeout, so a server that accepts and never answers ends the
 * check at its deadline. Only read commands are sent (plus CLIENT SETNAME, which names the probe's own connection).
 */
final class RedisCollector {
    static final int DEFAULT_PORT = 6379;

    private RedisCollector() {
    }

    static RedisFacts collect(CheckContext context, String checkId, CollectRequest request, Duration window) throws Exception {
        Target target = context.target();
        try (ClientPool.Lease<Jedis> lease = lease(context, checkId, DEFAULT_PORT)) {
            return failing(lease, () -> collectOn(lease.client(), context, checkId, request, window));
        } catch (JedisException e) {
            throw classified(e, target, DEFAULT_PORT);
        }
    }

    private static RedisFacts collectOn(Jedis jedis, CheckContext context, String checkId, CollectRequest request, Duration window)
            throws Exception {
        RedisSession s = new RedisSession(jedis, context, checkId);
        Map<String, String> config = new LinkedHashMap<>();
        for (String name : request.config()) {
            Object reply = s.call(Cmd.CONFIG, "GET", name);
            List<?> kv = (List<?>) reply;
            if (kv.size() >= 2) {
                config.put(text(kv.get(0)), text(kv.get(1)));
            }
        }
        Long slowlogBefore = request.slowlog() ? SlowlogReader.maxSlowlogId(s) : null;
        Map<String, String> info = Info.parse(text(s.call(Cmd.INFO, "all")));
        List<RedisFacts.NodeReach> reach = null;
        if (request.cluster() && "1".equals(info.get("cluster_enabled"))) {
            // CLUSTER INFO fields join the INFO map (they do not clash); CLUSTER NODES goes in as one field
            info.putAll(Info.parse(text(s.call(Cmd.CLUSTER, "INFO"))));
            if (request.clusterNodes()) {
                info.put("cluster_nodes", text(s.call(Cmd.CLUSTER, "NODES")));
                reach = ClusterReach.reach(context, info.get("cluster_nodes"));
            }
        }
        List<Long> pings = request.pings() > 0 ? new ArrayList<>() : null;
        Map<String, String> infoAfter = null;
        Long windowMillis = null;
        if (request.window()) {
            // fitted here, after connecting: see SamplingWindow for the rule; windowMillis records what was sampled
            Duration fitted = SamplingWindow.fit(window, context.remaining());
            long t0 = System.nanoTime();
            long end = t0 + fitted.toNanos();
            int n = Math.max(request.pings(), 0);
            for (int i = 0; i < n; i++) {
                long due = t0 + fitted.toNanos() * i / n;
                sleepUntil(due);
                pings.add(s.timedPing());
            }
            sleepUntil(end);
            infoAfter = Info.parse(text(s.call(Cmd.INFO, "all")));
            windowMillis = (System.nanoTime() - t0) / 1_000_000;
        } else if (pings != null) {
            for (int i = 0; i < request.pings(); i++) {
                pings.add(s.timedPing());
            }
        }
        List<SlowlogEntry> slowlog = request.slowlog() ? SlowlogReader.slowlog(s) : null;
        List<LatencyEvent> latency = request.latency() ? latency(s) : null;
        List<ClientEntry> clients = null;
        Integer clientsTotal = null;
        if (request.clients()) {
            List<ClientEntry> all = ClientListReader.parse(text(s.call(Cmd.CLIENT, "LIST")));
            clientsTotal = all.size();
            clients = ClientListReader.noteworthy(all);
        }
        DefaultUser defaultUser = null;
        Map<String, List<String>> categories = null;
        Map<String, Boolean> commands = null;
        String anonymous = null;
        if (request.security()) {
            defaultUser = SecurityReader.defaultUser(s);
            categories = SecurityReader.categories(s, defaultUser);
            commands = SecurityReader.commands(s);
            anonymous = SecurityReader.anonymousPing(context);
        }
        return new RedisFacts(info, infoAfter, windowMillis, pings, config, slowlogBefore, slowlog, latency,
                clients, clientsTotal, defaultUser, categories, commands, anonymous, reach);
    }

    /** SENTINEL MASTER(S), CKQUORUM, REPLICAS and SENTINELS from one Sentinel. */
    static SentinelFacts collectSentinel(CheckContext context, String checkId, String name) throws Exception {
        try (ClientPool.Lease<Jedis> lease = lease(context, checkId, RedisSentinel.DEFAULT_PORT)) {
            return failing(lease, () -> SentinelReader.read(lease.client(), context, checkId, name));
        } catch (JedisException e) {
            throw classified(e, context.target(), RedisSentinel.DEFAULT_PORT);
        }
    }

    private static List<LatencyEvent> latency(RedisSession s) throws ProbeException {
        List<LatencyEvent> out = new ArrayList<>();
        for (Object o : (List<?>) s.call(Cmd.LATENCY, "LATEST")) {
            List<?> e = (List<?>) o;
            out.add(new LatencyEvent(text(e.get(0)), (Long) e.get(1), (Long) e.get(2), (Long) e.get(3)));
        }
        return out;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static Set<String> names(Iterable<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }
}
