package io.opsdoc.checks.mysql;

import io.opsdoc.core.Check;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recorded {@code SHOW GLOBAL VARIABLES/STATUS} output as the mysql client prints it, turned into facts. */
final class ShowOutput {
    private ShowOutput() {
    }

    /** The rows of a mysql client table ({@code | Variable_name | Value |}) as name to value; NULL becomes null. */
    static Map<String, String> table(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.strip().split("\n")) {
            String l = line.strip();
            if (!l.startsWith("|")) {
                continue;
            }
            String[] cells = l.substring(1, l.length() - 1).split("\\|", -1);
            String name = cells[0].strip();
            String value = cells.length > 1 ? cells[1].strip() : "";
            if (name.equals("Variable_name")) {
                continue;
            }
            out.put(name, value.equals("NULL") ? null : value);
        }
        return out;
    }

    static MysqlFacts facts(String version, String variables, String status, List<Map<String, String>> replicaRows) {
        return new MysqlFacts(version, table(variables), table(status), null, null,
                replicaRows == null ? null : ServerDialect.of(version).statusStatement(),
                replicaRows == null ? List.of() : replicaRows);
    }

    static Evaluation evaluate(Check<MysqlFacts> check, MysqlFacts facts, Map<String, String> params) {
        return Evaluation.of(check, "mysql://monitor@db1:3306", facts,
                Parameters.resolve(check.id(), check.parameters(), params));
    }

    static List<String> codes(Evaluation e) {
        return e.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(Evaluation e, String code) {
        return e.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + codes(e)));
    }
}
