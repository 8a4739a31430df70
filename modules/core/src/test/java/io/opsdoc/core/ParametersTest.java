package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private static final List<ParameterSpec> SPECS = List.of(
            new ParameterSpec("lag-warning", ParameterType.DURATION, "30s", "warn"),
            new ParameterSpec("usage", ParameterType.PERCENT, "80%", "pct"),
            new ParameterSpec("backlog", ParameterType.BYTES, "16MiB", "bytes"),
            new ParameterSpec("strict", ParameterType.BOOLEAN, "true", "flag"));

    @Test
    void unitsParseAsOperatorsWriteThem() {
        assertThat(ParameterType.DURATION.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ParameterType.DURATION.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ParameterType.DURATION.parse("300")).isEqualTo(Duration.ofSeconds(300));
        assertThat(ParameterType.DURATION.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ParameterType.PERCENT.parse("80%")).isEqualTo(80.0);
        assertThat(ParameterType.BYTES.parse("16MiB")).isEqualTo(16L << 20);
        assertThat(ParameterType.BYTES.parse("512k")).isEqualTo(512L << 10);
        assertThat(ParameterType.BOOLEAN.parse("off")).isEqualTo(false);
    }

    @Test
    void defaultsApplyAndOverridesWin() {
        Parameters p = Parameters.resolve("c", SPECS, Map.of("lag-warning", "45s"));
        assertThat(p.duration("lag-warning")).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.percent("usage")).isEqualTo(80.0);
        assertThat(p.bytes("backlog")).isEqualTo(16L << 20);
        assertThat(p.bool("strict")).isTrue();
        assertThat(p.raw()).containsEntry("lag-warning", "45s").containsEntry("usage", "80%");
    }

    @Test
    void unknownNamesAndBadValuesAreUsageErrors() {
        assertThatThrownBy(() -> Parameters.resolve("c", SPECS, Map.of("lag-warn", "1s")))
                .isInstanceOf(UsageException.class).hasMessageContaining("no parameter 'lag-warn'")
                .hasMessageContaining("lag-warning");
        assertThatThrownBy(() -> Parameters.resolve("c", SPECS, Map.of("usage", "180%")))
                .isInstanceOf(UsageException.class).hasMessageContaining("outside 0-100%");
        assertThatThrownBy(() -> Parameters.resolve("c", SPECS, Map.of("lag-warning", "soon")))
                .isInstanceOf(UsageException.class).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void aCheckWithABadDefaultFailsAtDefinition() {
        assertThatThrownBy(() -> new ParameterSpec("x", ParameterType.DURATION, "later", "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
