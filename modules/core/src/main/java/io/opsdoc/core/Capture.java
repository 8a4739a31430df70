package io.opsdoc.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A facts bundle: what {@code --capture} writes and {@code opsdoc replay} re-evaluates offline. It holds
 * raw facts, never credentials (facts are what the target showed; the target is stored in display form).
 */
public record Capture(String schema, String opsdocVersion, Instant capturedAt, List<CapturedRun> runs) {
    public static final String SCHEMA = "opsdoc.capture/v1";

    /**
     * @param facts   null when collection failed; then {@code failure} is the UNKNOWN finding to reproduce
     */
    public record CapturedRun(String check, String target, Map<String, String> parameters, JsonNode facts,
            Finding failure, double durationSeconds, Instant startedAt) {
    }

    public static Capture of(List<Run> runs) {
        List<CapturedRun> out = new ArrayList<>();
        for (Run run : runs) {
            Report r = run.report();
            JsonNode facts = run.facts() == null ? null : Json.mapper().valueToTree(run.facts());
            Finding failure = run.facts() == null && !r.findings().isEmpty() ? r.findings().get(0) : null;
            out.add(new CapturedRun(r.check(), r.target(), run.parameters(), facts, failure, r.durationSeconds(), r.startedAt()));
        }
        return new Capture(SCHEMA, OpsdocVersion.get(), Instant.now(), out);
    }

    public void write(Path file) throws IOException {
        Json.mapper().writeValue(file.toFile(), this);
    }

    public static Capture read(Path file) {
        Capture c;
        try {
            c = Json.mapper().readValue(file.toFile(), Capture.class);
        } catch (JacksonException e) {
            throw new UsageException(file + " is not an opsdoc capture: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputFiles.unreadable("capture", file, e);
        }
        if (c == null || !SCHEMA.equals(c.schema()) || c.runs() == null) {
            throw new UsageException(file + " is not an opsdoc capture (expected \"schema\": \"" + SCHEMA + "\")");
        }
        return c;
    }

    /** Re-evaluates every captured run with the current code; {@code overrides} change parameters (what-if). */
    public List<Report> replay(CheckRegistry registry, Map<String, String> overrides) {
        List<Report> reports = new ArrayList<>();
        for (CapturedRun run : runs) {
            Check<?> check = registry.require(run.check());
            if (run.facts() == null || run.facts().isNull()) { // Jackson reads "facts": null as a NullNode
                List<Finding> f = run.failure() == null ? List.of() : List.of(run.failure());
                reports.add(Report.of(run.check(), run.target(), new Evaluation(f, List.of()), run.durationSeconds(), run.startedAt()));
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>(run.parameters() == null ? Map.of() : run.parameters());
            params.putAll(Parameters.applicable(check.parameters(), overrides));
            reports.add(replayOne(check, run, Parameters.resolve(check.id(), check.parameters(), params)));
        }
        return reports;
    }

    private static <F> Report replayOne(Check<F> check, CapturedRun run, Parameters parameters) {
        F facts;
        try {
            facts = Json.mapper().treeToValue(run.facts(), check.factsType());
        } catch (JacksonException e) {
            throw new UsageException("captured facts for " + check.id() + " do not match this version of the check: "
                    + e.getOriginalMessage());
        }
        return Report.of(check.id(), run.target(), Evaluation.of(check, run.target(), facts, parameters),
                run.durationSeconds(), run.startedAt());
    }
}
