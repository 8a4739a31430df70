package io.opsdoc.lab.scenario.junit;

import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioResult;
import io.opsdoc.lab.scenario.ScenarioRunner;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The one JUnit mechanism for every lab: a {@code @TestFactory} returns {@code ScenarioTests.of(set, variant)} and
 * gets one test per scenario, run in order on the variant's shared lab. A family with several variants declares one
 * factory per variant in the same class, so that the variants' labs run side by side while each lab's scenarios run
 * one after the other.
 *
 * <p>JUnit is an optional dependency of the lab module: this class is used only from tests, never by {@code opsdoc
 * lab}.
 */
public final class ScenarioTests {
    private static final ScenarioRunner RUNNER = new ScenarioRunner();

    private ScenarioTests() {
    }

    public static <L extends Lab> Stream<DynamicNode> of(ScenarioSet<L> set, String variantName) {
        return of(set, variantName, s -> true, lab -> lab);
    }

    /**
     * Only the scenarios {@code which} selects, run in order on {@code part} of the variant's shared lab: a view whose
     * {@link Lab#heal()} undoes only what those scenarios can break. A lab made of independent parts (servers that no
     * scenario of the other part touches) can so run each part's scenarios from its own factory, side by side.
     */
    public static <L extends Lab> Stream<DynamicNode> of(ScenarioSet<L> set, String variantName,
            Predicate<Scenario<L>> which, UnaryOperator<L> part) {
        LabVariant<L> variant = set.variant(variantName);
        String missing = variant.unavailable().get();
        if (missing != null) {
            // CI installs every peer (.ci/install-peers): there a missing one is a broken build, not a reason to skip
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but the " + set.system() + " " + variant.name() + " lab cannot run: "
                        + missing);
            }
            Assumptions.assumeTrue(false, set.system() + " " + variant.name() + " scenarios skipped: " + missing);
        }
        L lab = part.apply(variant.shared().get());
        return set.scenarios().stream().filter(s -> s.runsOn(variant.name())).filter(which)
                .map(s -> DynamicTest.dynamicTest(s.id() + ": " + s.story(), () -> {
                    ScenarioResult r = RUNNER.run(s, lab);
                    if (!r.held()) {
                        throw new AssertionError(r.explain());
                    }
                }));
    }

    /** For a family with one variant. */
    public static <L extends Lab> Stream<DynamicNode> of(ScenarioSet<L> set) {
        return of(set, set.variants().get(0).name());
    }
}
