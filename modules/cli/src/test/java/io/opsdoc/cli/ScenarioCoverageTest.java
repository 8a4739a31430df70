package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.lab.scenario.Expect;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import io.opsdoc.lab.scenario.ScenarioSets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Coverage is enforced, not remembered: every finding code a registered check declares is promised by a scenario
 * (a real fault in a lab), or listed by its family as covered by recorded facts only, with the reason. Reads the
 * scenario sets as data; starts no server (the check modules' *ScenariosTest classes run them).
 */
class ScenarioCoverageTest {
    private final CheckRegistry registry = CheckRegistry.load();
    private final List<ScenarioSet<?>> sets = ScenarioSets.all().stream().<ScenarioSet<?>>map(f -> f.get()).toList();

    @Test
    void everyDeclaredCodeIsProducedByAScenarioOrListedAsRecordedFactsOnly() {
        Set<String> promised = new HashSet<>();
        Map<String, String> recordedOnly = new LinkedHashMap<>();
        for (ScenarioSet<?> set : sets) {
            for (Scenario<?> s : set.scenarios()) {
                for (Expect e : s.expected()) {
                    s.checks().stream().filter(e::concerns).forEach(c -> promised.add(c + "#" + e.code()));
                }
            }
            recordedOnly.putAll(set.recordedFactsOnly());
        }
        List<String> uncovered = new ArrayList<>();
        int byScenario = 0;
        int byRecordedFacts = 0;
        for (Check<?> check : registry.all()) {
            for (FindingCode code : check.codes()) {
                String key = check.id() + "#" + code.code();
                if (promised.contains(key)) {
                    byScenario++;
                } else if (recordedOnly.containsKey(key)) {
                    byRecordedFacts++;
                } else {
                    uncovered.add(key);
                }
            }
        }
        System.out.printf("finding codes: %d produced by a lab scenario, %d by recorded facts only, %d uncovered%n",
                byScenario, byRecordedFacts, uncovered.size());
        assertThat(uncovered).as("codes no scenario produces and no family lists as recorded-facts-only").isEmpty();
        List<String> stale = recordedOnly.keySet().stream().filter(promised::contains).toList();
        assertThat(stale).as("listed as recorded-facts-only, yet a scenario produces them: drop them from the list")
                .isEmpty();
        recordedOnly.forEach((k, why) -> assertThat(why).as("the reason for " + k).isNotBlank());
    }

    @Test
    void scenariosNameRealChecksCodesAndParameters() {
        Set<String> ids = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (ScenarioSet<?> set : sets) {
            assertThat(set.variants()).as(set.system() + " variants").isNotEmpty();
            for (Scenario<?> s : set.scenarios()) {
                if (!ids.add(s.id())) {
                    wrong.add(s.id() + ": the id is used twice");
                }
                List<Check<?>> checks = new ArrayList<>();
                for (String id : s.checks()) {
                    registry.find(id).ifPresentOrElse(checks::add, () -> wrong.add(s.id() + ": no check " + id));
                }
                for (Expect e : s.expected()) {
                    boolean declared = checks.stream().filter(c -> e.concerns(c.id())).anyMatch(c -> declares(c, e.code()));
                    if (!declared) {
                        wrong.add(s.id() + ": " + e + " is declared by none of " + s.checks());
                    }
                }
                for (String name : s.params().keySet()) {
                    if (checks.stream().noneMatch(c -> c.parameters().stream().map(ParameterSpec::name).anyMatch(name::equals))) {
                        wrong.add(s.id() + ": no check of " + s.checks() + " has a parameter " + name);
                    }
                }
            }
            set.recordedFactsOnly().keySet().forEach(key -> {
                String[] parts = key.split("#", 2);
                if (parts.length != 2 || registry.find(parts[0]).filter(c -> declares(c, parts[1])).isEmpty()) {
                    wrong.add(set.system() + " recordedFactsOnly: " + key + " is no check#CODE");
                }
            });
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean declares(Check<?> c, String code) {
        return c.codes().stream().anyMatch(fc -> fc.code().equals(code))
                || io.opsdoc.core.ProbeErrors.ALL.stream().anyMatch(fc -> fc.code().equals(code));
    }
}
