package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisCollector.DEFAULT_PORT;
import static io.opsdoc.checks.redis.RedisFailures.classified;
import static io.opsdoc.checks.redis.RedisFailures.networkCause;
import static io.opsdoc.checks.redis.RedisFailures.translate;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Opening, leasing and giving back the probe's Jedis connections (TLS for rediss://, AUTH, the probe's name). */
final class RedisConnection {
    private RedisConnection() {
    }


    /**
     * An authenticated connection from the context's pool ({@code opsdoc serve} keeps it between scrapes). Every
     * command sets its own socket timeout from the time left, so a connection opened under an earlier deadline is
     * fine; a kept one is PINGed first, and one that saw any error is not given back.
     */
    static ClientPool.Lease<Jedis> lease(CheckContext context, String checkId, int defaultPort) throws Exception {
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
    interface Work<T> {
        T run() throws Exception;
    }

    static <T> T failing(ClientPool.Lease<Jedis> lease, Work<T> work) throws Exception {
        try {
            return work.run();
        } catch (Exception | Error e) {
            lease.broken();
            throw e;
        }
    }

    static Jedis open(CheckContext context, boolean authenticate, String checkId) throws Exception {
        return open(context, authenticate, checkId, DEFAULT_PORT);
    }

    static Jedis open(CheckContext context, boolean authenticate, String checkId, int defaultPort) throws Exception {
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
}
