package io.opsdoc.lab.scenario;

import io.opsdoc.lab.kafka.KafkaScenarios;
import io.opsdoc.lab.kubernetes.ControlPlaneScenarios;
import io.opsdoc.lab.kubernetes.KubernetesScenarios;
import io.opsdoc.lab.http.HttpScenarios;
import io.opsdoc.lab.host.HostScenarios;
import io.opsdoc.lab.mysql.MysqlScenarios;
import io.opsdoc.lab.rabbitmq.RabbitScenarios;
import io.opsdoc.lab.redis.RedisScenarios;
import java.util.List;
import java.util.function.Supplier;

/** Every lab's scenarios, in the order {@code opsdoc lab} runs them. A new family adds its set here. */
public final class ScenarioSets {
    private ScenarioSets() {
    }

    public static List<Supplier<ScenarioSet<?>>> all() {
        return List.of(MysqlScenarios::new, KubernetesScenarios::new, ControlPlaneScenarios::new, RedisScenarios::new,
                KafkaScenarios::new, HttpScenarios::new, HostScenarios::new,
                RabbitScenarios::new);
    }
}
