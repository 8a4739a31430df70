package io.opsdoc.checks.redis;

import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.CheckCode;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.util.List;

/** What the Redis checks share: the target scheme, the facts type, target validation and the ACL they print. */
abstract class RedisCheck extends DescribedCheck<RedisFacts> {

    <E extends Enum<E> & CheckCode> RedisCheck(String id, String title, List<ParameterSpec> parameters, Class<E> codes,
            List<GrantSet> grants) {
        super(id, "redis", title, RedisFacts.class, parameters, codes, grants);
    }

    /** redis:// in the clear, rediss:// over TLS (Redis 6+ built with TLS, or a TLS proxy in front). */
    @Override
    public List<String> targetSchemes() {
        return List.of("redis", Tls.SCHEME);
    }

    @Override
    public void validate(Target target) {
        validateTarget(target);
    }

    /** One server, redis:// or rediss:// with its TLS options: shared with redis-host-tuning. */
    static void validateTarget(Target target) {
        target.host();
        if (target.hosts().size() > 1) {
            throw new UsageException("target " + target.display() + " names several hosts; a Redis check runs on one "
                    + "server (redis://[USER@]host:port)");
        }
        if (Tls.SCHEME.equals(target.scheme())) {
            Tls.validate(target);
        } else if (!target.query().isEmpty()) {
            throw new UsageException("target options are not supported for redis:// targets: "
                    + String.join(", ", target.query().keySet()) + (target.query().containsKey(Tls.CACERT)
                    ? " (cacert is for TLS: rediss://host:port?cacert=FILE)" : ""));
        }
    }

    /** The collector runs here, so Jedis loads only when a Redis check actually runs. */
    protected RedisFacts collect(CheckContext context, CollectRequest request, Duration window) throws Exception {
        return RedisCollector.collect(context, id(), request, window);
    }

    /**
     * The exact ACL for a monitoring user that may run only these commands ({@code command|subcommand} where a
     * command has subcommands), as one statement to paste into redis-cli.
     */
    static List<GrantSet> acl(String why, String... commands) {
        StringBuilder rules = new StringBuilder("ACL SETUSER opsdoc reset on ><password>");
        for (String c : commands) {
            rules.append(" +").append(c);
        }
        return List.of(
                new GrantSet("Redis 6.0 and later (ACL)", List.of(rules.toString()),
                        "'reset' leaves the user no keys, no channels and no other command; " + why
                                + " Then use redis://opsdoc@host:port with the password from --password-env."),
                new GrantSet("Redis 5 and earlier", List.of("# no ACLs: the requirepass password allows every command"),
                        "use the server's password; there is no way to limit what it can run before Redis 6."));
    }
}
