package io.opsdoc.cli.lab;

import java.util.List;
import java.util.function.Supplier;

/** Every lab suite, in the order {@code opsdoc lab} runs them. */
public final class LabSuites {
    private LabSuites() {
    }

    public static List<Supplier<LabSuite>> all() {
        return List.of(KubernetesLabSuite::new, KafkaLabSuite::new,
                HttpLabSuite::new);
    }
}
