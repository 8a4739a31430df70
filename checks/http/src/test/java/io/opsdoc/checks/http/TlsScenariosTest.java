package io.opsdoc.checks.http;

import io.opsdoc.lab.http.TlsScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link TlsScenarios}: tls-endpoint against real nginx TLS ports. */
@Tag("lab")
class TlsScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new TlsScenarios(), "nginx");
    }
}
