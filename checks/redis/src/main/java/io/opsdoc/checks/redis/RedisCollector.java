package io.opsdoc.checks.redis;

import io.opsdoc.checks.redis.RedisFacts.ClientEntry;
import io.opsdoc.checks.redis.RedisFacts.DefaultUser;
import io.opsdoc.checks.redis.RedisFacts.LatencyEvent;
import io.opsdoc.checks.redis.RedisFacts.SlowlogEntry;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The only class of the family that touches Jedis: loaded when a Redis check's collect() runs, never before.
 *
 * <p>Each read gets the time left as its socket timeout, so a server that accepts and never answers ends the check
 * at its deadline. Only read commands are sent (plus CLIENT SETNAME, which names the probe's own connection).
 */
final class RedisCollector {
    static final int DEFAULT_PORT = 6379;
    /** Time left below which other Sentinels are no longer asked for the master's address. */
    private static final long PEER_RESERVE_MS = 500;

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

    /**
     * A Jedis failure that escaped the command-level translation: a network reason when there is one, and a reply
     * Jedis could not parse as RESP is the wrong protocol on that port; anything else is passed on unchanged.
     */
    static Exception classified(JedisException e, Target target, int defaultPort) {
        ProbeException tls = tlsFailure(e, target);
        if (tls != null) {
            return tls;
        }
        String where = target.host().host() + ":" + target.host().portOr(defaultPort);
        FailureClassifier.Failure network = FailureClassifier.network(e, where, target.host().host());
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Unknown reply") || m.contains("protocol") || e.getCause() instanceof NumberFormatException
                || e.getCause() instanceof ClassCastException) {
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered, but not in the Redis protocol "
                    + "(RESP): is this a Redis port? (" + FailureClassifier.oneLine(e) + ")", e);
        }
        return e;
    }

    private static RedisFacts collectOn(Jedis jedis, CheckContext context, String checkId, CollectRequest request, Duration window)
            throws Exception {
        Session s = new Session(jedis, context, checkId);
        Map<String, String> config = new LinkedHashMap<>();
        for (String name : request.config()) {
            Object reply = s.call(Cmd.CONFIG, "GET", name);
            List<?> kv = (List<?>) reply;
            if (kv.size() >= 2) {
                config.put(text(kv.get(0)), text(kv.get(1)));
            }
        }
        Long slowlogBefore = request.slowlog() ? maxSlowlogId(s) : null;
        Map<String, String> info = Info.parse(text(s.call(Cmd.INFO, "all")));
        List<RedisFacts.NodeReach> reach = null;
        if (request.cluster() && "1".equals(info.get("cluster_enabled"))) {
            // CLUSTER INFO fields join the INFO map (they do not clash); CLUSTER NODES goes in as one field
            info.putAll(Info.parse(text(s.call(Cmd.CLUSTER, "INFO"))));
            if (request.clusterNodes()) {
                info.put("cluster_nodes", text(s.call(Cmd.CLUSTER, "NODES")));
                reach = reach(context, info.get("cluster_nodes"));
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
        List<SlowlogEntry> slowlog = request.slowlog() ? slowlog(s) : null;
        List<LatencyEvent> latency = request.latency() ? latency(s) : null;
        List<ClientEntry> clients = null;
        Integer clientsTotal = null;
        if (request.clients()) {
            List<ClientEntry> all = clients(text(s.call(Cmd.CLIENT, "LIST")));
            clientsTotal = all.size();
            clients = all.stream().filter(c -> !c.name().startsWith("opsdoc"))
                    .filter(c -> c.omem() > 0 || c.flags().contains("b") || c.qbuf() > 1024 * 1024)
                    .sorted(Comparator.comparingLong(ClientEntry::omem).reversed()).limit(20).toList();
        }
        DefaultUser defaultUser = null;
        Map<String, List<String>> categories = null;
        Map<String, Boolean> commands = null;
        String anonymous = null;
        if (request.security()) {
            defaultUser = defaultUser(s);
            categories = new LinkedHashMap<>();
            for (String token : defaultUser.commands().split("\\s+")) {
                if (token.length() > 2 && token.charAt(1) == '@' && !token.equalsIgnoreCase("+@all")
                        && !token.equalsIgnoreCase("-@all")) {
                    String cat = token.substring(2).toLowerCase(Locale.ROOT);
                    if (!categories.containsKey(cat)) {
                        List<String> names = new ArrayList<>();
                        for (Object o : (List<?>) s.call(Cmd.ACL, "CAT", cat)) {
                            names.add(text(o).toLowerCase(Locale.ROOT));
                        }
                        categories.put(cat, names);
                    }
                }
            }
            commands = new LinkedHashMap<>();
            for (String c : RedisSecurity.DANGEROUS) {
                List<?> reply = (List<?>) s.call(Cmd.COMMAND, "INFO", c);
                commands.put(c, !reply.isEmpty() && reply.get(0) != null);
            }
            anonymous = anonymousPing(context);
        }
        return new RedisFacts(info, infoAfter, windowMillis, pings, config, slowlogBefore, slowlog, latency,
                clients, clientsTotal, defaultUser, categories, commands, anonymous, reach);
    }

    /**
     * TCP connects from the probe host to every node's client port and cluster bus port (CLUSTER NODES gives
     * {@code ip:port@busport}, on 7.0+ followed by {@code ,hostname}); each connect gets a share of the time left,
     * at most 1 s. Nodes without an address (noaddr, handshake) are left out.
     */
    private static List<RedisFacts.NodeReach> reach(CheckContext context, String nodes) {
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

    /** SENTINEL MASTER(S), CKQUORUM, REPLICAS and SENTINELS from one Sentinel. */
    static SentinelFacts collectSentinel(CheckContext context, String checkId, String name) throws Exception {
        try (ClientPool.Lease<Jedis> lease = lease(context, checkId, RedisSentinel.DEFAULT_PORT)) {
            return failing(lease, () -> collectSentinelOn(lease.client(), context, checkId, name));
        } catch (JedisException e) {
            throw classified(e, context.target(), RedisSentinel.DEFAULT_PORT);
        }
    }

    private static SentinelFacts collectSentinelOn(Jedis jedis, CheckContext context, String checkId, String name) throws Exception {
        Session s = new Session(jedis, context, checkId);
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

    /**
     * An authenticated connection from the context's pool ({@code opsdoc serve} keeps it between scrapes). Every
     * command sets its own socket timeout from the time left, so a connection opened under an earlier deadline is
     * fine; a kept one is PINGed first, and one that saw any error is not given back.
     */
    private static ClientPool.Lease<Jedis> lease(CheckContext context, String checkId, int defaultPort) throws Exception {
        for (int attempt = 0; ; attempt++) {
            ClientPool.Lease<Jedis> lease = context.clients().lease("redis", context, () -> open(context, true, checkId, defaultPort), Jedis::close);
            if (!lease.reused()) {
                return lease;
            }
            try {
                lease.client().getConnection().setSoTimeout(context.remainingMillis());
                lease.client().ping();
                return lease;
            } catch (JedisException e) {
                lease.broken();
                lease.close();
                if (attempt > 0) {
                    throw networkCause(e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> T failing(ClientPool.Lease<Jedis> lease, Work<T> work) throws Exception {
        try {
            return work.run();
        } catch (Exception | Error e) {
            lease.broken();
            throw e;
        }
    }

    private static Jedis open(CheckContext context, boolean authenticate, String checkId) throws Exception {
        return open(context, authenticate, checkId, DEFAULT_PORT);
    }

    private static Jedis open(CheckContext context, boolean authenticate, String checkId, int defaultPort) throws Exception {
        Target target = context.target();
        Target.HostPort hp = target.host();
        int timeout = context.remainingMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).autoNegotiateProtocol(false);
        if (Tls.on(target)) {
            try {
                config.ssl(true).sslSocketFactory(Tls.socketFactory(target)).sslParameters(Tls.parameters());
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot set up TLS for " + target.display() + ": "
                        + e.getMessage(), e);
            }
        }
        if (authenticate) {
            config.clientName("opsdoc");
            if (context.password().isPresent()) {
                target.user().ifPresent(config::user);
                config.password(context.password().get().reveal());
            }
        }
        Jedis j = null;
        try {
            // Jedis connects and authenticates in its constructor
            j = new Jedis(new HostAndPort(hp.host(), hp.portOr(defaultPort)), config.build());
            j.getConnection().connect();
            return j;
        } catch (JedisException e) {
            if (j != null) {
                j.close();
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JedisDataException d) {
                    throw translate(d, target, authenticate ? "AUTH / CLIENT SETNAME" : "PING", checkId);
                }
            }
            Exception classified = classified(e, target, defaultPort);
            throw classified == e ? networkCause(e) : classified;
        }
    }

    /**
     * Jedis reports "failed to connect to any host resolved for DNS name" with the real socket errors attached as
     * suppressed exceptions, not as the cause; hand the engine the socket error so it can say refused, DNS or timeout.
     */
    static Exception networkCause(JedisException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException io) {
                return io;
            }
            for (Throwable s : t.getSuppressed()) {
                for (Throwable u = s; u != null; u = u.getCause()) {
                    if (u instanceof java.io.IOException io) {
                        return io;
                    }
                }
            }
        }
        return e;
    }

    /**
     * A failed TLS handshake (rediss://), or a cleartext connection the server closed at once, as a reason an
     * operator can act on; null for any other failure.
     */
    static ProbeException tlsFailure(Exception e, Target target) {
        boolean tls = Tls.on(target);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException ssl) {
                String m = String.valueOf(ssl.getMessage());
                String hint = m.contains("PKIX") || m.contains("certification path")
                        ? "the server's certificate is not signed by a trusted CA; give its CA with rediss://host:port?cacert=FILE"
                        : m.contains("No subject alternative") || m.contains("doesn't match") || m.contains("No name matching")
                        ? "the server's certificate does not name " + target.host().host() + " (subject alternative names)"
                        : m.contains("bad_certificate") || m.contains("certificate_required")
                        ? "the server wants a client certificate (tls-auth-clients yes); opsdoc sends none, so the server "
                        + "must run with tls-auth-clients no or optional"
                        : m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")
                        ? "the port does not speak TLS; use redis:// for a cleartext port"
                        : "the handshake failed";
                return new ProbeException(FailureClassifier.notTls(ssl) ? ProbeErrors.PROTOCOL_ERROR : ProbeErrors.PROBE_FAILED,
                        "TLS with " + target.host() + " failed: " + hint + " (" + FailureClassifier.oneLine(ssl) + ")", e);
            }
        }
        Throwable io = e instanceof JedisException je ? networkCause(je) : e;
        if (tls && FailureClassifier.reset(io)) {
            return new ProbeException(ProbeErrors.CONNECTION_RESET, "TLS with " + target.host() + " failed: the server closed "
                    + "the connection during the handshake (a client certificate required, or not a TLS port)", e);
        }
        return null;
    }

    /** PING on a fresh connection that sends no AUTH: does the server let anyone in? */
    private static String anonymousPing(CheckContext context) {
        try (Jedis j = open(context, false, "")) {
            j.getConnection().setSoTimeout(context.remainingMillis());
            return j.ping();
        } catch (ProbeException e) {
            return e.getCause() instanceof JedisDataException d ? firstWord(String.valueOf(d.getMessage()).trim()) : e.getMessage();
        } catch (JedisDataException e) {
            return firstWord(String.valueOf(e.getMessage()).trim());
        } catch (Exception e) {
            return "no connection: " + e.getClass().getSimpleName();
        }
    }

    private static Long maxSlowlogId(Session s) throws ProbeException {
        List<?> entries = (List<?>) s.call(Cmd.SLOWLOG, "GET", "1");
        if (entries.isEmpty()) {
            return -1L;
        }
        return (Long) ((List<?>) entries.get(0)).get(0);
    }

    private static List<SlowlogEntry> slowlog(Session s) throws ProbeException {
        List<SlowlogEntry> out = new ArrayList<>();
        for (Object o : (List<?>) s.call(Cmd.SLOWLOG, "GET", "10")) {
            List<?> e = (List<?>) o;
            List<String> args = new ArrayList<>();
            List<?> raw = (List<?>) e.get(3);
            if (!raw.isEmpty()) {
                String name = text(raw.get(0)).toLowerCase(Locale.ROOT);
                args.add(name);
                // never keep arguments of commands that can carry credentials
                if (raw.size() > 1 && !Set.of("auth", "hello", "migrate", "acl", "config").contains(name)) {
                    String first = text(raw.get(1));
                    args.add(first.length() > 64 ? first.substring(0, 64) + "..." : first);
                }
            }
            String client = e.size() > 4 ? text(e.get(4)) : null;
            out.add(new SlowlogEntry((Long) e.get(0), (Long) e.get(1), (Long) e.get(2), args, client));
        }
        return out;
    }

    private static List<LatencyEvent> latency(Session s) throws ProbeException {
        List<LatencyEvent> out = new ArrayList<>();
        for (Object o : (List<?>) s.call(Cmd.LATENCY, "LATEST")) {
            List<?> e = (List<?>) o;
            out.add(new LatencyEvent(text(e.get(0)), (Long) e.get(1), (Long) e.get(2), (Long) e.get(3)));
        }
        return out;
    }

    static List<ClientEntry> clients(String list) {
        List<ClientEntry> out = new ArrayList<>();
        for (String line : list.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String part : line.trim().split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            out.add(new ClientEntry(f.getOrDefault("id", ""), f.getOrDefault("addr", ""), f.getOrDefault("name", ""),
                    f.getOrDefault("user", ""), f.getOrDefault("flags", ""), f.getOrDefault("cmd", ""),
                    num(f.get("age")), num(f.get("idle")), num(f.get("qbuf")), num(f.get("omem")), num(f.get("tot-mem"))));
        }
        return out;
    }

    private static DefaultUser defaultUser(Session s) throws ProbeException {
        List<?> reply = (List<?>) s.call(Cmd.ACL, "GETUSER", "default");
        List<String> flags = new ArrayList<>();
        String commands = "";
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            String key = text(reply.get(i));
            Object value = reply.get(i + 1);
            if (key.equals("flags")) {
                for (Object f : (List<?>) value) {
                    flags.add(text(f));
                }
            } else if (key.equals("commands")) {
                commands = text(value);
            }
            // "passwords" (hashes) is read by the server but never kept
        }
        return new DefaultUser(flags, commands);
    }

    private static long num(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static String text(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    /** Turns the replies an operator can act on into precise reasons; null for anything else. */
    static ProbeException translate(JedisDataException e, Target target, String command, String checkId) {
        String m = e.getMessage() == null ? "" : e.getMessage().trim();
        String user = target.user().orElse("default");
        if (m.startsWith("NOPERM")) {
            return new ProbeException(ProbeErrors.PERMISSION_DENIED, "user '" + user + "' may not run " + command
                    + " (NOPERM); run 'opsdoc grants " + (checkId.isEmpty() ? "<check>" : checkId)
                    + "' for the ACL it needs", e);
        }
        if (e instanceof JedisAccessControlException || m.startsWith("WRONGPASS") || m.startsWith("NOAUTH")
                || m.contains("without any password configured")) {
            String why = m.startsWith("NOAUTH") ? "the server requires a password and none was given (--password-env, "
                    + "--password-file or OPSDOC_PASSWORD)"
                    : m.contains("without any password configured") ? "a password was given but the server's default user "
                    + "has none; give the user name in the URI (redis://USER@host:port) if it is an ACL user"
                    : "wrong password, or no such user, or the user is disabled";
            return new ProbeException(ProbeErrors.AUTH_FAILED, "authentication as '" + user + "' at " + target.host()
                    + " failed (" + firstWord(m) + "): " + why, e);
        }
        if (m.contains("max number of clients reached")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " refused the probe's connection: "
                    + "max number of clients reached (connected_clients = maxclients); applications are being refused too", e);
        }
        if (m.startsWith("LOADING")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " is loading its dataset into memory "
                    + "and answers nothing else until it is done (LOADING)", e);
        }
        if (m.startsWith("BUSY")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " is running a script or function "
                    + "longer than its busy-reply threshold and answers every other command with BUSY", e);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, command + " failed: " + m, e);
    }

    private static String firstWord(String m) {
        int sp = m.indexOf(' ');
        return sp > 0 ? m.substring(0, sp) : m;
    }

    private enum Cmd implements ProtocolCommand {
        PING, INFO, CONFIG, SLOWLOG, LATENCY, CLIENT, ACL, COMMAND, SENTINEL, CLUSTER;

        @Override
        public byte[] getRaw() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** One connection: every command bounded by the time left. */
    private static final class Session {
        private final Jedis jedis;
        private final CheckContext context;
        private final String checkId;

        Session(Jedis jedis, CheckContext context, String checkId) {
            this.jedis = jedis;
            this.context = context;
            this.checkId = checkId;
        }

        Object call(Cmd cmd, String... args) throws ProbeException {
            jedis.getConnection().setSoTimeout(context.remainingMillis());
            try {
                return jedis.sendCommand(cmd, args);
            } catch (JedisDataException e) {
                String shown = (cmd.name() + (args.length > 0 ? " " + args[0] : "")).toUpperCase(Locale.ROOT);
                throw translate(e, context.target(), shown, checkId);
            }
        }

        long timedPing() throws ProbeException {
            long t0 = System.nanoTime();
            call(Cmd.PING);
            return (System.nanoTime() - t0) / 1_000;
        }
    }

    static Set<String> names(Iterable<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }
}
