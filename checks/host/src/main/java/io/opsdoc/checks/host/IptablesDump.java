package io.opsdoc.checks.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code iptables-save -c} (or ip6tables-save) output, parsed: per table its chains with their policy and policy
 * counters, and every rule with its counters, in order. The format is line-based and stable across iptables 1.4 to
 * 1.8 and both back ends: {@code *table}, {@code :CHAIN POLICY [packets:bytes]} ({@code -} for user chains),
 * {@code [packets:bytes] -A CHAIN match... -j TARGET}, {@code COMMIT}; comments start with {@code #}.
 */
record IptablesDump(Map<String, Map<String, Chain>> tables, List<Rule> rules, List<String> warnings) {

    /** A chain's policy ({@code -} for a user-defined chain) and the packets that policy decided. */
    record Chain(String table, String name, String policy, long packets) {
    }

    /**
     * A rule and its counters. {@code key} tells two samples' copies of the same rule apart from its neighbours: the
     * table, the rule text and which occurrence of that text it is (a counter cannot be matched by position alone
     * when a rule was inserted between the samples).
     */
    record Rule(String table, String chain, String spec, String target, String source, long packets, long bytes,
            String key) {
        boolean drops() {
            return target.equals("DROP") || target.equals("REJECT");
        }
    }

    static final IptablesDump EMPTY = new IptablesDump(Map.of(), List.of(), List.of());

    static IptablesDump parse(String save) {
        if (save == null) {
            return EMPTY;
        }
        Map<String, Map<String, Chain>> tables = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String table = null;
        for (String raw : save.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("# Warning:")) {
                warnings.add(line.substring(2));
            } else if (line.startsWith("*")) {
                table = line.substring(1);
                tables.put(table, new LinkedHashMap<>());
            } else if (table != null && line.startsWith(":")) {
                String[] f = line.substring(1).split("\\s+");
                long packets = f.length > 2 ? counters(f[2])[0] : 0;
                tables.get(table).put(f[0], new Chain(table, f[0], f.length > 1 ? f[1] : "-", packets));
            } else if (table != null && (line.startsWith("[") || line.startsWith("-A "))) {
                long[] c = {0, 0};
                String spec = line;
                if (line.startsWith("[")) {
                    int end = line.indexOf(']');
                    c = counters(line.substring(0, end + 1));
                    spec = line.substring(end + 1).strip();
                }
                String[] f = spec.split("\\s+");
                String chain = f.length > 1 ? f[1] : "?";
                String key = table + " " + spec;
                int n = seen.merge(key, 1, Integer::sum);
                rules.add(new Rule(table, chain, spec, option(f, "-j", "-g"), option(f, "-s", "--source"), c[0], c[1],
                        key + " #" + n));
            }
        }
        return new IptablesDump(tables, rules, warnings);
    }

    /** {@code [packets:bytes]} as two numbers; zero when the dump was taken without -c. */
    private static long[] counters(String bracket) {
        String in = bracket.replace("[", "").replace("]", "");
        int colon = in.indexOf(':');
        if (colon < 0) {
            return new long[] {0, 0};
        }
        try {
            return new long[] {Long.parseLong(in.substring(0, colon)), Long.parseLong(in.substring(colon + 1))};
        } catch (NumberFormatException e) {
            return new long[] {0, 0};
        }
    }

    /** The value after the first of {@code names} in a rule; "" when absent (no -s: from any source). */
    private static String option(String[] f, String... names) {
        for (int i = 0; i < f.length - 1; i++) {
            for (String n : names) {
                if (f[i].equals(n)) {
                    return (i > 0 && f[i - 1].equals("!") ? "! " : "") + f[i + 1];
                }
            }
        }
        return "";
    }

    /** A built-in chain of a table, or null when the table or chain is not in the dump. */
    Chain chain(String table, String name) {
        Map<String, Chain> t = tables.get(table);
        return t == null ? null : t.get(name);
    }

    long rulesIn(String table, String chain) {
        return rules.stream().filter(r -> r.table().equals(table) && r.chain().equals(chain)).count();
    }

    /** Rules plus non-ACCEPT built-in policies: whether this back end holds a rule set at all. */
    boolean holdsRules() {
        return !rules.isEmpty() || tables.values().stream().flatMap(t -> t.values().stream())
                .anyMatch(c -> c.policy().equals("DROP"));
    }
}
