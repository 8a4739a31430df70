package io.opsdoc.checks.mysql;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Json;
import io.opsdoc.core.Parameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads recorded SHOW REPLICA/SLAVE STATUS facts and evaluates variants of them without a server. */
final class RecordedFacts {
    private RecordedFacts() {
    }

    static ReplicationFacts load(String name) {
        try (InputStream in = RecordedFacts.class.getResourceAsStream("/facts/" + name)) {
            return Json.mapper().readValue(in, ReplicationFacts.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same facts with some columns of the first channel changed (null values allowed). */
    static ReplicationFacts with(ReplicationFacts facts, Object... columnValues) {
        List<Map<String, String>> channels = new ArrayList<>();
        for (Map<String, String> c : facts.channels()) {
            channels.add(new LinkedHashMap<>(c));
        }
        for (int i = 0; i < columnValues.length; i += 2) {
            channels.get(0).put((String) columnValues[i], columnValues[i + 1] == null ? null : columnValues[i + 1].toString());
        }
        return new ReplicationFacts(facts.serverVersion(), facts.statusStatement(), channels, facts.variables());
    }

    static ReplicationFacts withVariable(ReplicationFacts facts, String name, String value) {
        Map<String, String> vars = new LinkedHashMap<>(facts.variables());
        vars.put(name, value);
        return new ReplicationFacts(facts.serverVersion(), facts.statusStatement(), facts.channels(), vars);
    }

    static Evaluation evaluate(ReplicationFacts facts, Map<String, String> params) {
        MysqlReplication check = new MysqlReplication();
        return Evaluation.of(check, "mysql://monitor@db2:3306", facts,
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
