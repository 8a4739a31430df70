package io.opsdoc.core.report;

import io.opsdoc.core.Metric;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A check's metric as Prometheus wants it (https://prometheus.io/docs/practices/naming/): base units in the name's
 * suffix (bytes, seconds, ratios), and the check's words said once: {@code opsdoc_<check>_<metric>} minus the words
 * the metric already starts with ({@code http-status} + {@code http_status_code} is {@code opsdoc_http_status_code}).
 * Days to an expiry become the expiry's Unix time, as blackbox_exporter's {@code probe_ssl_earliest_cert_expiry};
 * percentages become 0-1 ratios. Shared so that `opsdoc serve`'s /probe can name metrics the same way.
 */
public final class PrometheusNames {
    private PrometheusNames() {
    }

    /** One exposed sample: the metric's name and its value in the base unit. */
    public record Sample(String name, double value, String help) {
    }

    public static Sample of(String check, Metric m, Instant measuredAt) {
        String metric = clean(m.name());
        String unit = m.unit() == null ? "" : m.unit();
        double value = m.value();
        String help = m.name() + " measured by " + check + (unit.isEmpty() ? "" : " (" + unit + ")");
        switch (unit) {
            case "B" -> metric = metric.endsWith("_bytes") ? metric : metric + "_bytes";
            case "%" -> {
                metric = (metric.endsWith("_percent") ? metric.substring(0, metric.length() - "_percent".length()) : metric) + "_ratio";
                value = value / 100.0;
                help = help + ", as a ratio 0-1";
            }
            case "d" -> {
                // "N days left" is only true at the moment it was measured; the instant it points at stays true
                metric = (metric.endsWith("_days") ? metric.substring(0, metric.length() - "_days".length()) : metric) + "_timestamp_seconds";
                value = Math.floor(measuredAt.getEpochSecond() + value * 86_400.0);
                help = help + ", as the Unix time it is reached";
            }
            default -> { }
        }
        return new Sample("opsdoc_" + withoutRepeatedWords(clean(check), metric), value, help);
    }

    /** {@code http_status} + {@code http_status_code} is {@code http_status_code}; + {@code http_duration_seconds}
     *  is {@code http_status_duration_seconds}. */
    static String withoutRepeatedWords(String check, String metric) {
        List<String> c = Arrays.asList(check.split("_"));
        List<String> m = Arrays.asList(metric.split("_"));
        int same = 0;
        while (same < c.size() && same < m.size() - 1 && c.get(same).equals(m.get(same))) {
            same++;
        }
        return check + "_" + String.join("_", m.subList(same, m.size()));
    }

    private static String clean(String s) {
        return s.replaceAll("[^a-zA-Z0-9_]", "_").toLowerCase(Locale.ROOT);
    }
}
