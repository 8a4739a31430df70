package io.opsdoc.core.gate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Finding;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Json;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.report.JsonReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The findings of an earlier JSON report ({@code opsdoc.report/v1}), by fingerprint. */
public final class Baseline {
    private final Map<String, Finding> findings;

    private Baseline(Map<String, Finding> findings) {
        this.findings = findings;
    }

    public static Baseline read(Path file) {
        InputFiles.requireReadable("--baseline", file.toString());
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new UsageException("--baseline " + file + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputFiles.unreadable("--baseline", file, e);
        }
        if (doc == null || !JsonReportWriter.SCHEMA.equals(doc.path("schema").asText())) {
            throw new UsageException("--baseline " + file + " is not an opsdoc JSON report (schema " + JsonReportWriter.SCHEMA + ")");
        }
        Map<String, Finding> out = new LinkedHashMap<>();
        for (JsonNode report : doc.path("reports")) {
            for (JsonNode f : report.path("findings")) {
                try {
                    Finding finding = Json.mapper().treeToValue(f, Finding.class);
                    out.put(finding.fingerprint(), finding);
                } catch (JacksonException e) {
                    throw new UsageException("--baseline " + file + ": a finding cannot be read: " + e.getOriginalMessage());
                }
            }
        }
        return new Baseline(out);
    }

    /** NEW or PERSISTING for each current finding. */
    public Map<String, Change> classify(List<Finding> current) {
        Map<String, Change> out = new LinkedHashMap<>();
        current.forEach(f -> out.put(f.fingerprint(), findings.containsKey(f.fingerprint()) ? Change.PERSISTING : Change.NEW));
        return out;
    }

    /** Baseline findings that no longer occur. */
    public List<Finding> resolved(List<Finding> current) {
        var now = current.stream().map(Finding::fingerprint).collect(java.util.stream.Collectors.toSet());
        List<Finding> out = new ArrayList<>();
        findings.values().forEach(f -> {
            if (!now.contains(f.fingerprint())) {
                out.add(f);
            }
        });
        return out;
    }
}
