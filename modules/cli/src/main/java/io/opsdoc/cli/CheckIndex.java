package io.opsdoc.cli;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FindingCode;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import io.opsdoc.lab.scenario.ScenarioSets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where everything about a check lives in the source tree, from its id: the check class, its notes, its scenarios
 * and their test. The paths follow conventions (docs/CONTRIBUTING.md), so they are computed, not kept by hand:
 * {@code opsdoc list --paths} prints them and docs/checks.md is generated from them.
 */
final class CheckIndex {

    /** One check's places. Scenario paths are empty where the lab is not part of the installation. */
    record Entry(Check<?> check, String system, String source, List<String> notes, String scenarioSource,
            List<String> scenarioTests, List<String> scenarios, int codes) {
    }

    private CheckIndex() {
    }

    static List<Entry> entries(CheckRegistry registry) {
        List<ScenarioSet<?>> sets = scenarioSets();
        List<Entry> entries = new ArrayList<>();
        for (Check<?> c : registry.all()) {
            String pkg = c.getClass().getPackageName();
            String system = pkg.substring(pkg.lastIndexOf('.') + 1);
            String module = "checks/" + system;
            String source = module + "/src/main/java/" + c.getClass().getName().replace('.', '/') + ".java";
            Set<String> notes = new LinkedHashSet<>();
            for (FindingCode code : c.codes()) {
                notes.add("docs/notes/en/" + code.noteId() + ".md");
            }
            String setSource = "";
            Set<String> setTests = new LinkedHashSet<>();
            List<String> ids = new ArrayList<>();
            for (ScenarioSet<?> set : sets) {
                List<String> mine = set.scenarios().stream().filter(s -> s.checks().contains(c.id())).map(Scenario::id)
                        .toList();
                if (mine.isEmpty()) {
                    continue;
                }
                ids.addAll(mine);
                Class<?> k = set.getClass();
                setSource = "modules/lab/src/main/java/" + k.getName().replace('.', '/') + ".java";
                testClasses(set, c.id()).forEach(t -> setTests.add(testPath(t)));
            }
            entries.add(new Entry(c, system, source, List.copyOf(notes), setSource, List.copyOf(setTests), ids, c.codes().size()));
        }
        return entries;
    }

    private static <L extends Lab> List<String> testClasses(ScenarioSet<L> set, String checkId) {
        return set.scenarios().stream().filter(s -> s.checks().contains(checkId)).map(set::testClass).distinct()
                .toList();
    }

    /** {@code io.opsdoc.checks.X.Name} lives in module {@code checks/X}. */
    private static String testPath(String testClass) {
        String system = testClass.split("\\.")[3];
        return "checks/" + system + "/src/test/java/" + testClass.replace('.', '/') + ".java";
    }

    private static List<ScenarioSet<?>> scenarioSets() {
        try {
            return ScenarioSets.all().stream().<ScenarioSet<?>>map(f -> f.get()).toList();
        } catch (NoClassDefFoundError e) {
            return List.of(); // an installation without lab/
        }
    }

    /** docs/checks.md: the same information, for readers of the repository. */
    static String markdown(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# Checks\n\n");
        b.append("Generated from the check registry and the lab's scenario sets by `ChecksDocTest` "
                + "(`OPSDOC_WRITE_DOCS=1 ./mvnw -pl modules/cli -am verify -Dtest=ChecksDocTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false` rewrites it). `opsdoc list --paths ID` prints the same for "
                + "one check. How the paths are chosen: [CONTRIBUTING.md](CONTRIBUTING.md).\n\n");
        Map<String, List<Entry>> bySystem = new LinkedHashMap<>();
        entries.forEach(e -> bySystem.computeIfAbsent(e.system(), k -> new ArrayList<>()).add(e));
        b.append("| system | checks | finding codes | lab scenarios |\n|---|---|---|---|\n");
        bySystem.forEach((system, list) -> b.append("| ").append(system).append(" | ").append(list.size()).append(" | ")
                .append(list.stream().mapToInt(Entry::codes).sum()).append(" | ")
                .append(list.stream().flatMap(e -> e.scenarios().stream()).distinct().count()).append(" |\n"));
        b.append('\n');
        bySystem.forEach((system, list) -> {
            b.append("## ").append(system).append("\n\n");
            for (Entry e : list) {
                b.append("### `").append(e.check().id()).append("`\n\n").append(e.check().title()).append("\n\n");
                b.append("- targets: ").append(String.join(", ", e.check().targetSchemes().stream()
                        .map(s -> "`" + io.opsdoc.core.Target.schemePrefix(s) + "`").toList())).append('\n');
                b.append("- check: [").append(e.source()).append("](../").append(e.source()).append(")\n");
                for (String n : e.notes()) {
                    b.append("- note: [").append(n).append("](../").append(n).append(") (zh: ")
                            .append(n.replace("/en/", "/zh/")).append(")\n");
                }
                b.append("- codes: ").append(String.join(", ", e.check().codes().stream().map(c -> "`" + c.code() + "`")
                        .toList())).append('\n');
                if (!e.scenarioSource().isEmpty()) {
                    b.append("- scenarios: [").append(e.scenarioSource()).append("](../").append(e.scenarioSource())
                            .append("): ").append(String.join(", ", e.scenarios())).append('\n');
                    for (String t : e.scenarioTests()) {
                        b.append("- scenario test: [").append(t).append("](../").append(t).append(")\n");
                    }
                }
                b.append('\n');
            }
        });
        return b.toString();
    }
}
