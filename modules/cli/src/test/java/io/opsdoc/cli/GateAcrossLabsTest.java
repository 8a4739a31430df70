package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import io.opsdoc.lab.kafka.KafkaClusterLab;
import io.opsdoc.lab.kubernetes.KubernetesLab;
import io.opsdoc.lab.redis.RedisLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One gate over every lab system at once (MariaDB, Redis, Kafka, Kubernetes), each with a real fault, in parallel, with every report format. */
class GateAcrossLabsTest {
    private static MariaDbReplicationLab mysql;
    private static RedisLab redis;
    private static KubernetesLab k8s;
    private static KafkaClusterLab kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        mysql = MariaDbReplicationLab.shared();
        redis = RedisLab.shared();
        k8s = KubernetesLab.start();
        kafka = KafkaClusterLab.shared();
    }

    @AfterAll
    static void stop() {
        k8s.close();
        mysql.heal();
        redis.heal();
        kafka.heal();
    }

    @Test
    void oneGateRunsMysqlRedisKafkaAndKubernetesInParallel() throws Exception {
        mysql.heal();
        redis.heal();
        kafka.heal();
        kafka.stopOneBroker();
        mysql.stopSqlThread();
        redis.standalone().memoryFullNoEviction();
        k8s.nodes().unreachable("worker-1", Duration.ofMinutes(2));
        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, """
                defaults: {timeout: 15s}
                targets:
                  db-replica:
                    uri: "%s"
                    password: {env: MYSQL_PW}
                    checks: [mysql-replication]
                  cache:
                    uri: "%s"
                    password: {env: REDIS_PW}
                    checks: {redis-timeouts: {window: 2s}, redis-memory: null}
                  cluster:
                    uri: "%s"
                    checks: [k8s-node-notready, k8s-workloads]
                  events:
                    uri: "%s"
                    checks: [kafka-isr]
                """.formatted(mysql.replicaUri(), redis.uri(RedisLab.Node.STANDALONE), k8s.targetUri(), kafka.uri()));
        Map<String, String> env = Map.of("MYSQL_PW", mysql.monitorPassword(), "REDIS_PW", redis.monitorPassword());
        List<String> files = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("gate", "-c", cfg.toString(), "--format", "json"));
        for (String format : List.of("junit", "sarif", "markdown", "nagios", "prometheus", "text")) {
            Path f = dir.resolve("report." + format);
            files.add(f.toString());
            args.addAll(List.of("--report", format + "=" + f));
        }
        Cli c = Cli.run(env, args.toArray(String[]::new));
        assertThat(c.exit()).as(c.err()).isEqualTo(2);
        JsonNode doc = Json.mapper().readTree(c.out());
        List<String> seen = new ArrayList<>();
        double slowest = 0;
        double sum = 0;
        for (JsonNode r : doc.get("reports")) {
            r.get("findings").forEach(f -> seen.add(r.get("targetName").asText() + ":" + f.get("code").asText()));
            slowest = Math.max(slowest, r.get("durationSeconds").asDouble());
            sum += r.get("durationSeconds").asDouble();
        }
        assertThat(seen).contains("db-replica:SQL_THREAD_STOPPED", "cluster:NODE_UNKNOWN", "events:UNDER_REPLICATED")
                .contains("cache:WRITES_REJECTED_OOM");
        assertThat(doc.get("reports")).hasSize(6);
        assertThat(c.millis() / 1000.0).as("parallel: about the slowest check (%.1fs), not the sum (%.1fs)", slowest, sum)
                .isLessThan(slowest + Math.max(3.0, (sum - slowest) / 2));
        for (String f : files) {
            assertThat(Files.size(Path.of(f))).as(f).isPositive();
            assertThat(Files.readString(Path.of(f))).doesNotContain(mysql.monitorPassword()).doesNotContain(redis.monitorPassword());
        }
    }
}
