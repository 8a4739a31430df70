package io.opsdoc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.opsdoc.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/** docs/report.schema.json, applied to every JSON report the CLI tests print (Cli.run checks each one). */
final class ReportSchema {
    private static final JsonSchema SCHEMA = load();

    private ReportSchema() {
    }

    private static JsonSchema load() {
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Json.mapper().readTree(Path.of("../../docs/report.schema.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with every violation when the text is not a valid opsdoc.report/v1 document. */
    static String assertValid(String json) {
        try {
            JsonNode doc = Json.mapper().readTree(json);
            Set<ValidationMessage> problems = SCHEMA.validate(doc);
            if (!problems.isEmpty()) {
                throw new AssertionError("not a valid opsdoc.report/v1 document: " + problems + "\n" + json);
            }
            return json;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
        }
    }
}
