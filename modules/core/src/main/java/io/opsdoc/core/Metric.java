package io.opsdoc.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A number a check measured, for Nagios perfdata and Prometheus.
 *
 * @param unit {@code s}, {@code B}, {@code %} or empty for a plain count
 * @param warn the warning threshold for perfdata, or null
 * @param crit the critical threshold for perfdata, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metric(String name, double value, String unit, Map<String, String> labels, Double warn, Double crit) {
    public static Metric of(String name, double value, String unit) {
        return new Metric(name, value, unit, Map.of(), null, null);
    }
}
