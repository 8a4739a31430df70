package io.opsdoc.server.alerts;

import io.opsdoc.core.Finding;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a check's report into a verdict about one alert. Only WARNING and CRITICAL findings count as "the problem":
 * INFO is context. When the alert names a specific object (a node, a pod, a topic...), only findings about that
 * object count, so a NotReady alert for node-a is not confirmed by node-b being down.
 */
final class VerdictJudge {
    /** Labels that name one object inside a target, most specific first; their values are matched against subjects. */
    static final List<String> SUBJECT_LABELS = List.of("pod", "node", "deployment", "statefulset", "daemonset", "job_name",
            "topic", "consumergroup", "channel_name", "master_name", "namespace");

    record Judgement(Verdict verdict, String reason, List<Finding> findings) {
    }

    private VerdictJudge() {
    }

    static Judgement judge(Report report, boolean resolved, Map<String, String> labels) {
        List<Finding> errors = report.findings().stream().filter(f -> ProbeErrors.NOTE.equals(noteId(f))).toList();
        if (!errors.isEmpty()) {
            Finding e = errors.get(0);
            return new Judgement(Verdict.CHECK_ERROR, e.code() + ": " + e.summary(), errors);
        }
        List<Finding> problems = report.findings().stream()
                .filter(f -> f.severity() == Severity.WARNING || f.severity() == Severity.CRITICAL).toList();
        List<String> named = SUBJECT_LABELS.stream().map(labels::get).filter(Objects::nonNull).filter(v -> !v.isBlank()).toList();
        List<Finding> relevant = problems;
        if (!named.isEmpty() && problems.stream().anyMatch(f -> f.subject() != null)) {
            relevant = problems.stream().filter(f -> relevantSet(f, named)).toList();
        }
        String elsewhere = relevant.size() < problems.size()
                ? "; " + (problems.size() - relevant.size()) + " other problem(s) on other objects: "
                        + String.join(", ", problems.stream().filter(f -> !relevantSet(f, named)).map(Finding::code).distinct().limit(5).toList())
                : "";
        if (!relevant.isEmpty()) {
            String codes = String.join(", ", relevant.stream().map(f -> f.code() + (f.subject() == null ? "" : " (" + f.subject() + ")"))
                    .distinct().limit(8).toList());
            return new Judgement(Verdict.CONFIRMED, (resolved ? "resolved in Alertmanager, but the check still sees: " : "the check sees: ")
                    + codes, relevant);
        }
        String clean = report.check() + " found no warning or critical problem" + (named.isEmpty() ? "" : " for " + String.join(", ", named));
        return resolved ? new Judgement(Verdict.RECOVERED, clean + elsewhere, List.of())
                : new Judgement(Verdict.NOT_REPRODUCIBLE, clean + " although the alert fires (a flap, a different threshold, "
                        + "or a cause the check cannot see)" + elsewhere, List.of());
    }

    private static boolean relevantSet(Finding f, List<String> named) {
        return f.subject() == null || named.stream().anyMatch(v -> mentions(f.subject(), v));
    }

    /** Subjects look like "node/worker-1", "default/web" or "orders" ; match whole path segments, not substrings. */
    static boolean mentions(String subject, String value) {
        for (String part : subject.split("[/ :,]")) {
            if (part.equals(value)) {
                return true;
            }
        }
        return subject.equals(value);
    }

    static String noteId(Finding f) {
        return f.note() == null ? null : f.note().contains("#") ? f.note().substring(0, f.note().indexOf('#')) : f.note();
    }
}
