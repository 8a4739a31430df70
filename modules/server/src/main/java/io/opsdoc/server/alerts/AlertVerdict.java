package io.opsdoc.server.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opsdoc.core.Finding;
import java.util.List;
import java.util.Map;

/**
 * One alert with what opsdoc made of it: the verdict, why, the note that explains it, and the findings the check
 * produced. This is both an element of the {@code POST /alerts} response and what receivers are sent.
 *
 * @param alert       alertname
 * @param fingerprint Alertmanager's fingerprint (dedup key)
 * @param status      firing or resolved, as Alertmanager sent it
 * @param noteSource  config, runbook_url or built-in: how the note was found
 * @param duplicate   true when this alert (same fingerprint and status) was already handled within the dedup window
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertVerdict(String alert, String fingerprint, String status, Verdict verdict, String reason,
        Map<String, String> labels, NoteExcerpt note, String noteSource, String check, String target,
        List<Finding> findings, Double durationSeconds, String checkedAt, Boolean duplicate) {

    /** The part of the note a responder reads first. {@code url} is set when serve knows its public URL. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoteExcerpt(String id, String lang, String title, String section, String heading, String excerpt, String url) {
    }

    public AlertVerdict asDuplicate() {
        return new AlertVerdict(alert, fingerprint, status, verdict, reason, labels, note, noteSource, check, target, findings,
                durationSeconds, checkedAt, true);
    }
}
