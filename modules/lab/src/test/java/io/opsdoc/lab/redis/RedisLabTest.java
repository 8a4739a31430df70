package io.opsdoc.lab.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.redis.RedisLab.Node;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The lab's servers start, replicate, take faults for real and heal. */
@Tag("lab")
class RedisLabTest {
    private static RedisLab lab;

    @BeforeAll
    static void start() {
        lab = RedisLab.shared();
    }

    @AfterEach
    void heal() {
        lab.heal();
    }

    @Test
    void healthyLabReplicatesAndRequiresPasswords() {
        assertThat(lab.version()).startsWith("6.2");
        assertThat(lab.info(Node.REPLICA)).containsEntry("master_link_status", "up");
        assertThat(lab.info(Node.PRIMARY)).containsEntry("connected_slaves", "1");
        try (Jedis anonymous = new Jedis(RedisLab.host(), lab.port(Node.STANDALONE))) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(anonymous::ping)).hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void memoryFullRejectsWritesThenHealRestoresThem() {
        lab.standalone().memoryFullNoEviction();
        assertThat(lab.info(Node.STANDALONE).get("errorstat_OOM")).startsWith("count=");
        lab.heal();
        try (Jedis j = lab.admin(Node.STANDALONE)) {
            assertThat(j.set("after-heal", "ok")).isEqualTo("OK");
            assertThat(j.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
        }
    }

    @Test
    void slowScriptShowsInSlowlog() {
        lab.standalone().slowScript(Duration.ofMillis(200));
        try (Jedis j = lab.admin(Node.STANDALONE)) {
            assertThat(j.slowlogGet(1).get(0).getArgs().get(0)).isEqualToIgnoringCase("eval");
        }
    }

    @Test
    void replicaFaultsAndHeal() {
        lab.replication().replicaLinkDown();
        assertThat(lab.info(Node.REPLICA)).containsEntry("master_link_status", "down");
        lab.heal();
        assertThat(lab.info(Node.REPLICA)).containsEntry("master_link_status", "up");
    }
}
