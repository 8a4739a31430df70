package io.opsdoc.lab.scenario;

import java.util.List;
import java.util.Map;

/**
 * The scenarios of one system, beside its lab. Constructing a set starts nothing: {@link #scenarios()} is data, and
 * the servers start when a variant's lab is asked for.
 */
public interface ScenarioSet<L extends Lab> {
    /** Short name for {@code opsdoc lab --suite NAME} and test names, e.g. {@code redis}. */
    String system();

    /** What the lab starts, for the line printed before starting it. */
    String description();

    /** The ways to run the lab; the first that can run here is the one {@code opsdoc lab} uses. */
    List<LabVariant<L>> variants();

    List<Scenario<L>> scenarios();

    /**
     * Codes of this system's checks that no scenario here can produce from a real fault, each with the reason (a
     * server version the lab cannot run, a kernel feature missing here); keyed {@code check-id#CODE}. Their evidence
     * is tested on recorded facts in the server's exact format instead.
     */
    default Map<String, String> recordedFactsOnly() {
        return Map.of();
    }

    /**
     * The fully qualified name of the test class that runs {@code s}. By convention the lab package
     * {@code io.opsdoc.lab.X} has its tests in module {@code checks/X}, package {@code io.opsdoc.checks.X}, named after
     * the set; a set kept elsewhere, or whose scenarios run in several test classes (independent lab parts side by
     * side), says which.
     */
    default String testClass(Scenario<L> s) {
        String pkg = getClass().getPackageName();
        return "io.opsdoc.checks." + pkg.substring(pkg.lastIndexOf('.') + 1) + "." + getClass().getSimpleName() + "Test";
    }

    default LabVariant<L> variant(String name) {
        return variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException(system() + " has no lab variant '" + name + "'; it has "
                        + variants().stream().map(LabVariant::name).toList()));
    }
}
