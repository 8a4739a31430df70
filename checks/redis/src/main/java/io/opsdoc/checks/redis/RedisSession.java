package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisFailures.translate;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** One connection: every command bounded by the time left. */
final class RedisSession {
    enum Cmd implements ProtocolCommand {
        PING, INFO, CONFIG, SLOWLOG, LATENCY, CLIENT, ACL, COMMAND, SENTINEL, CLUSTER;

        @Override
        public byte[] getRaw() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Jedis jedis;
    private final CheckContext context;
    private final String checkId;

    RedisSession(Jedis jedis, CheckContext context, String checkId) {
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

    static String text(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }
}
