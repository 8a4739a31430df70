package io.opsdoc.lab.scenario;

import io.opsdoc.lab.galera.GaleraScenarios;
import io.opsdoc.lab.kafka.KafkaScenarios;
import io.opsdoc.lab.kubernetes.ControlPlaneScenarios;
import io.opsdoc.lab.kubernetes.CalicoBgpScenarios;
import io.opsdoc.lab.kubernetes.EtcdScenarios;
import io.opsdoc.lab.kubernetes.KubePkiScenarios;
import io.opsdoc.lab.kubernetes.KubernetesScenarios;
import io.opsdoc.lab.edge.EdgeScenarios;
import io.opsdoc.lab.edge.KeepalivedScenarios;
import io.opsdoc.lab.edge.NginxTuningScenarios;
import io.opsdoc.lab.http.HttpScenarios;
import io.opsdoc.lab.http.TlsScenarios;
import io.opsdoc.lab.docker.DockerScenarios;
import io.opsdoc.lab.flume.FlumeScenarios;
import io.opsdoc.lab.host.HostScenarios;
import io.opsdoc.lab.memcached.MemcachedScenarios;
import io.opsdoc.lab.prometheus.PrometheusScenarios;
import io.opsdoc.lab.mysql.MysqlScenarios;
import io.opsdoc.lab.rabbitmq.RabbitScenarios;
import io.opsdoc.lab.redis.RedisHostScenarios;
import io.opsdoc.lab.redis.RedisScenarios;
import io.opsdoc.lab.zookeeper.ZookeeperScenarios;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every lab's scenarios, in the order {@code opsdoc lab} runs them. A new family adds its set here. A check's home set
 * (its scenario source and test in docs/checks.md) is the last one that runs it: EdgeScenarios also runs http-status
 * through nginx, so it comes before HttpScenarios;
 * NginxTuningScenarios runs nginx-status with config-file only, so it comes before EdgeScenarios.
 */
public final class ScenarioSets {
    private ScenarioSets() {
    }

    public static List<Supplier<ScenarioSet<?>>> all() {
        return List.of(MysqlScenarios::new, KubernetesScenarios::new, ControlPlaneScenarios::new, RedisScenarios::new, RedisHostScenarios::new,
                KafkaScenarios::new, NginxTuningScenarios::new, EdgeScenarios::new, HttpScenarios::new, HostScenarios::new, EtcdScenarios::new,
                KubePkiScenarios::new, TlsScenarios::new,
                ZookeeperScenarios::new, MemcachedScenarios::new, RabbitScenarios::new, PrometheusScenarios::new,
                DockerScenarios::new, GaleraScenarios::new, KeepalivedScenarios::new, FlumeScenarios::new,
                CalicoBgpScenarios::new);
    }
}
