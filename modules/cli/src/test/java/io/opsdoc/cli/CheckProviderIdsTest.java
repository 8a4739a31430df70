package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every check module's provider file carries each check's id as a comment (CheckRegistry's index, so that a command
 * instantiates only the checks it names): here every line has one, and it is the id the check itself reports.
 */
class CheckProviderIdsTest {
    @Test
    void everyProviderLineNamesItsChecksId() {
        TreeMap<String, String> fromComments = new TreeMap<>();
        for (CheckRegistry.Line line : CheckRegistry.lines(getClass().getClassLoader())) {
            assertThat(line.id()).as("id comment after " + line.className() + " in " + CheckRegistry.PROVIDER_FILE
                    + " (write: " + line.className() + " # <check-id>)").isNotNull();
            fromComments.put(line.id(), line.className());
        }
        TreeMap<String, String> fromInstances = new TreeMap<>();
        ServiceLoader.load(Check.class).stream().forEach(p -> fromInstances.put(p.get().id(), p.type().getName()));
        assertThat(fromComments).isEqualTo(fromInstances);
        assertThat(CheckRegistry.load().all()).extracting(Check::id).containsExactlyElementsOf(fromInstances.keySet());
    }
}
