package io.opsdoc.checks.mysql;

import io.opsdoc.lab.mysql.MysqlScenarios;
import io.opsdoc.lab.scenario.junit.ScenarioTests;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** Every scenario of {@link MysqlScenarios}: each fault on a real MariaDB pair and the codes it must produce. */
@Tag("lab")
class MysqlScenariosTest {
    @TestFactory
    Stream<DynamicNode> scenarios() {
        return ScenarioTests.of(new MysqlScenarios());
    }
}
