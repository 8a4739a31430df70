package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.FailoverCode.MHA_MANAGER_DOWN;
import static io.opsdoc.checks.mysql.FailoverCode.MHA_REPL_CHECK_FAILED;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges what the MHA tools said (pure: {@link MhaFacts} in, findings out). masterha_check_status's exit status is
 * MHA::ManagerConst's state number and its line names the state ({@code app1 is stopped(2:NOT_RUNNING).}); anything
 * but 0 (PING_OK) means MHA would not promote a replica if the source failed now, or is already doing so.
 */
final class MhaVerdict {
    /** {@code (2:NOT_RUNNING)}: MHA's state number and word, as every status line prints them. */
    private static final Pattern STATE = Pattern.compile("\\((\\d+):([A-Z_]+)\\)");
    /** States that pass by themselves: the manager is (re)starting its monitor. */
    private static final Set<Integer> TRANSIENT = Set.of(10, 30);
    /** The manager sees the source down, or is failing over: MHA acts, the operator must watch. */
    private static final Set<Integer> SOURCE_DOWN = Set.of(20, 21, 50, 51);
    /** masterha_check_repl's lines that only say that something above failed. */
    private static final Pattern GENERIC = Pattern.compile(
            "Error happened on monitoring servers|Got exit code|Health is NOT OK|Error happened on checking configurations\\.\\s+at ");

    private MhaVerdict() {
    }

    static void evaluate(MhaFacts mha, Evaluation.Builder out) {
        if (mha == null) {
            return;
        }
        Evidence where = Evidence.of("mha_host", mha.host(), "mha_conf", mha.conf());
        if (mha.status() != null) {
            status(mha, mha.status(), out);
        }
        if (mha.repl() != null) {
            repl(mha, mha.repl(), out);
        }
        if (mha.probeError() != null) {
            out.finding(mha.probeError(), Severity.UNKNOWN, "the MHA tools could not be run on " + mha.host() + " ("
                    + mha.probeError() + "): " + mha.probeReason() + "; whether MHA would fail over is not known",
                    where.put("probe_error", mha.probeError()), "mha");
        }
    }

    private static void status(MhaFacts mha, MhaFacts.Run run, Evaluation.Builder out) {
        String line = run.lines().isEmpty() ? "" : String.join(" ", run.lines());
        out.metric(Metric.of("mha_status", run.exit(), ""));
        if (run.exit() == 0) {
            return;
        }
        Matcher m = STATE.matcher(line);
        Evidence e = Evidence.of("mha_host", mha.host(), "mha_conf", mha.conf(), "exit_status", run.exit(),
                "mha_output", run.lines());
        if (!m.find() || Integer.parseInt(m.group(1)) != run.exit()) {
            // exit 1 and no state: the tool itself failed (configuration file or work directory missing, no rights)
            out.finding("PROBE_FAILED", Severity.UNKNOWN, MhaProbe.STATUS + " on " + mha.host() + " exited with "
                    + run.exit() + " without naming a manager state: " + (line.isEmpty() ? "no output" : line)
                    + "; check mha-conf and that the user may read the manager's work directory", e, "mha");
            return;
        }
        int state = run.exit();
        String word = m.group(2);
        e.put("mha_status", word);
        String why;
        if (state == 2) {
            why = "no masterha_manager runs for " + mha.conf() + ": if the source fails now, nothing promotes a "
                    + "replica and the applications stay down until someone fails over by hand";
        } else if (state == 3) {
            why = "the manager's main process is gone but a child of it still runs (an interrupted failover?): "
                    + "nothing monitors the source";
        } else if (TRANSIENT.contains(state)) {
            why = "the manager is (re)starting its monitor and does not watch the source yet; check again shortly";
        } else if (SOURCE_DOWN.contains(state)) {
            why = "the manager sees the source failing or is failing over (" + word + "): follow its log now";
        } else {
            why = "the manager is not monitoring normally (" + word + ")";
        }
        out.finding(MHA_MANAGER_DOWN, TRANSIENT.contains(state) ? Severity.WARNING : Severity.CRITICAL,
                "MHA on " + mha.host() + " reports " + word + ": " + why, e, "mha");
    }

    private static void repl(MhaFacts mha, MhaFacts.Run run, Evaluation.Builder out) {
        out.metric(Metric.of("mha_repl_check_exit", run.exit(), ""));
        if (run.exit() == 0) {
            return;
        }
        List<String> causes = run.lines().stream().filter(l -> !GENERIC.matcher(l).find()).toList();
        List<String> shown = causes.size() > 3 ? causes.subList(0, 3) : causes;
        out.finding(MHA_REPL_CHECK_FAILED, Severity.WARNING, MhaProbe.REPL + " on " + mha.host() + " failed (exit "
                + run.exit() + "): " + (shown.isEmpty() ? "it printed no error line" : String.join(" | ",
                shown.stream().map(MhaVerdict::withoutTimestamp).toList()))
                + ". MHA's manager runs the same checks when it starts and refuses to monitor until they pass; a "
                + "failover now would stop at the same point",
                Evidence.of("mha_host", mha.host(), "mha_conf", mha.conf(), "exit_status", run.exit(),
                        "mha_output", run.lines()), "mha");
    }

    /** MHA prefixes every log line with "Sat Dec  5 03:33:53 2026 - ". */
    private static String withoutTimestamp(String line) {
        int dash = line.indexOf(" - [");
        return dash > 0 && dash < 30 ? line.substring(dash + 3) : line;
    }
}
