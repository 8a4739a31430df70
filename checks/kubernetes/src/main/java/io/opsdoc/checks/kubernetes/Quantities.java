package io.opsdoc.checks.kubernetes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 250m}, {@code 1.5}, {@code 512Mi}, {@code 2G}, {@code 1e3}) without the client library. */
final class Quantities {
    private static final Pattern Q = Pattern.compile("([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)");
    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")), Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")), Map.entry("E", new BigDecimal("1e18")));

    private Quantities() {
    }

    /** The value in base units (cores, bytes); 0 for null or unparsable. */
    static BigDecimal value(String quantity) {
        if (quantity == null) {
            return BigDecimal.ZERO;
        }
        Matcher m = Q.matcher(quantity.trim());
        if (!m.matches()) {
            return BigDecimal.ZERO;
        }
        BigDecimal v = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            return v.scaleByPowerOfTen(Integer.parseInt(m.group(2).substring(1)));
        }
        return m.group(3) == null ? v : v.multiply(SUFFIX.get(m.group(3)));
    }

    static long millicores(String quantity) {
        return value(quantity).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
    }

    static long bytes(String quantity) {
        return value(quantity).setScale(0, RoundingMode.CEILING).longValue();
    }

    static String cpu(long millicores) {
        return millicores % 1000 == 0 ? String.valueOf(millicores / 1000) : millicores + "m";
    }

    static String memory(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 20) == 0) {
            double gi = bytes / (double) (1L << 30);
            return gi == Math.rint(gi) ? (long) gi + "Gi" : String.format(java.util.Locale.ROOT, "%.1fGi", gi);
        }
        if (bytes >= (1L << 20)) {
            return Math.round(bytes / (double) (1L << 20)) + "Mi";
        }
        return bytes + "B";
    }
}
