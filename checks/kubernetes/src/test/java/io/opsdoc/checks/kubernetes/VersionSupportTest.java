package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s-version-support on the day its release table was written (2026-12-04), so the verdicts do not move with the
 * calendar: 1.34 ended on 2026-10-27, 1.35 ends within 90 days, 1.36 is supported, 1.37 is not in the table.
 */
class VersionSupportTest {
    private static final VersionSupport CHECK = new VersionSupport();
    private static final Instant TABLE_DAY = Instant.parse("2026-12-04T12:00:00Z");

    private static List<String> codes(String gitVersion, Instant at) {
        String minor = gitVersion.replaceAll("v1\\.(\\d+)\\..*", "$1");
        VersionFacts facts = new VersionFacts(at, new ServerVersion(gitVersion, "1", minor));
        Evaluation e = Evaluation.of(CHECK, "k8s://", facts, Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of()));
        return e.findings().stream().map(Finding::code).toList();
    }

    @Test
    void theTableDecidesByMinorVersion() {
        assertThat(codes("v1.34.2", TABLE_DAY)).containsExactly("VERSION_EOL");
        assertThat(codes("v1.35.4", TABLE_DAY)).containsExactly("VERSION_EOL_SOON");
        assertThat(codes("v1.36.2", TABLE_DAY)).isEmpty();
        assertThat(codes("v1.37.0", TABLE_DAY)).containsExactly("VERSION_UNKNOWN");
        assertThat(codes("v1.20.15", TABLE_DAY)).containsExactly("VERSION_EOL");
    }

    @Test
    void aStaleTableSaysSo() {
        Evaluation e = Evaluation.of(CHECK, "k8s://", new VersionFacts(Instant.parse("2027-09-01T00:00:00Z"),
                new ServerVersion("v1.36.2", "1", "36")), Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of()));
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("VERSION_EOL");
            assertThat(f.summary()).contains("release table is", "days old: update opsdoc");
        });
    }
}
