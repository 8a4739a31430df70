package io.opsdoc.checks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Report;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisLab.Node;
import io.opsdoc.lab.redis.RedisVersion;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What opsdoc serve relies on: a Redis connection kept between runs answers the next run, and a kept connection the
 * server dropped costs a reconnect, not a false UNKNOWN. Its own class (6.2 only): inside RedisTimeoutsLabTest it
 * shifted the method order and the Redis 7 maxmemory test that followed it lost its OOM errors (a lab race, noted).
 */
@ResourceLock(providers = LabLock.class)
class RedisClientPoolLabTest {
    RedisLab lab;
    private final RedisTimeouts check = new RedisTimeouts();

    @BeforeEach
    void heal() {
        lab = LabChecks.lab(RedisVersion.V6_2);
        lab.heal();
    }

    @Test
    void aKeptConnectionServesTheNextRunAndItsLossCostsAReconnect() throws Exception {
        try (io.opsdoc.core.ClientPool pool = io.opsdoc.core.ClientPool.keeping(2, Duration.ofMinutes(1))) {
            io.opsdoc.core.Runner kept = new io.opsdoc.core.Runner(pool);
            io.opsdoc.core.Target target = io.opsdoc.core.Target.parse(lab.uri(Node.STANDALONE));
            java.util.function.Supplier<Report> once = () -> kept.run(check, target,
                    io.opsdoc.core.Parameters.resolve(check.id(), check.parameters(), Map.of()),
                    java.util.Optional.of(io.opsdoc.core.Secret.of(lab.monitorPassword(), "test")), Duration.ofSeconds(10)).report();
            assertThat(once.get().findings()).isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(once.get().findings()).as("the kept connection answers the second run").isEmpty();
            assertThat(pool.idle()).isEqualTo(1);
            try (redis.clients.jedis.Jedis admin = lab.admin(Node.STANDALONE)) {
                // only the kept connection (named opsdoc): the lab's own connections must survive for the next tests
                String list = redis.clients.jedis.util.SafeEncoder.encode((byte[]) admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "LIST"));
                java.util.List<String> ids = list.lines().filter(l -> l.contains(" name=opsdoc ")).map(l -> l.replaceAll("^id=(\\d+) .*", "$1")).toList();
                assertThat(ids).hasSize(1);
                admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "ID", ids.get(0));
            }
            Report after = once.get();
            assertThat(after.findings()).as("a killed kept connection costs a reconnect, not a false UNKNOWN").isEmpty();
        }
    }
}
