package io.opsdoc.core.notes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A runbook note: front matter plus Markdown with one anchored {@code ##} section per topic and per finding code.
 *
 * @param path           relative to the notes root, e.g. {@code en/mysql/replication.md}
 * @param sha256         of the file's bytes; a translation records the hash of the English file it was made from
 * @param translatedFrom {@code sha256:<hex>} from a translation's front matter, null for English
 * @param alertSections  alert name to the anchor of the section that answers it, from {@code alerts: [Name#anchor]}
 */
public record Note(String id, String lang, String title, List<String> checks, List<String> alerts, List<String> source,
        String appliesTo, String translatedFrom, String path, String sha256, String markdown,
        Map<String, Section> sections, Map<String, String> alertSections) {

    /** A {@code ## Heading {#anchor}} section. {@code excerpt} is its first paragraph, shown under a finding. */
    public record Section(String anchor, String heading, String markdown, String excerpt) {
    }

    public Optional<Section> section(String anchor) {
        return Optional.ofNullable(sections.get(anchor));
    }

    /** The section that answers this alert, when the front matter maps it ({@code alerts: [Name#anchor]}). */
    public Optional<Section> alertSection(String alert) {
        String anchor = alertSections == null ? null : alertSections.get(alert);
        return anchor == null ? Optional.empty() : section(anchor);
    }
}
