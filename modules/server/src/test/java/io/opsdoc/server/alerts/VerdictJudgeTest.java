package io.opsdoc.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The judgement on hand-made reports: which findings count for which alert. */
class VerdictJudgeTest {
    private static Finding f(String code, Severity s, String subject, String note) {
        return Finding.of("k8s-node-notready", "k8s://prod", code, s, code + " summary", Map.of(), note, subject);
    }

    private static Report report(Finding... findings) {
        Severity worst = List.of(findings).stream().map(Finding::severity).reduce(Severity.OK, Severity::worst);
        return new Report("k8s-node-notready", "k8s://prod", worst, List.of(findings), List.of(), 0.1, Instant.now());
    }

    @Test
    void onlyFindingsAboutTheNamedObjectConfirm() {
        Report r = report(f("NODE_NOT_READY", Severity.CRITICAL, "worker-2", "kubernetes/node-notready#node-not-ready"));
        VerdictJudge.Judgement forOne = VerdictJudge.judge(r, false, Map.of("alertname", "KubeNodeNotReady", "node", "worker-1"));
        assertThat(forOne.verdict()).isEqualTo(Verdict.NOT_REPRODUCIBLE);
        assertThat(forOne.reason()).contains("for worker-1").contains("1 other problem(s) on other objects: NODE_NOT_READY");
        VerdictJudge.Judgement forTwo = VerdictJudge.judge(r, false, Map.of("alertname", "KubeNodeNotReady", "node", "worker-2"));
        assertThat(forTwo.verdict()).isEqualTo(Verdict.CONFIRMED);
        assertThat(forTwo.findings()).extracting(Finding::code).containsExactly("NODE_NOT_READY");
        assertThat(VerdictJudge.judge(r, false, Map.of("alertname", "X")).verdict()).as("no object named: every problem counts")
                .isEqualTo(Verdict.CONFIRMED);
    }

    @Test
    void infoIsContextNotTheProblem() {
        Report r = report(f("NODE_CORDONED", Severity.INFO, "worker-1", "kubernetes/node-notready#node-cordoned"));
        assertThat(VerdictJudge.judge(r, false, Map.of()).verdict()).isEqualTo(Verdict.NOT_REPRODUCIBLE);
        assertThat(VerdictJudge.judge(r, true, Map.of()).verdict()).isEqualTo(Verdict.RECOVERED);
    }

    @Test
    void aResolvedAlertWhoseProblemRemainsIsConfirmed() {
        Report r = report(f("NODE_NOT_READY", Severity.CRITICAL, "worker-1", "kubernetes/node-notready#node-not-ready"));
        VerdictJudge.Judgement j = VerdictJudge.judge(r, true, Map.of("node", "worker-1"));
        assertThat(j.verdict()).isEqualTo(Verdict.CONFIRMED);
        assertThat(j.reason()).startsWith("resolved in Alertmanager, but the check still sees");
    }

    @Test
    void probeErrorsAreCheckErrorsWhateverElseWasFound() {
        Report r = report(f("TIMEOUT", Severity.UNKNOWN, null, "opsdoc/probe-errors#timeout"));
        VerdictJudge.Judgement j = VerdictJudge.judge(r, false, Map.of());
        assertThat(j.verdict()).isEqualTo(Verdict.CHECK_ERROR);
        assertThat(j.reason()).startsWith("TIMEOUT: ");
    }

    @Test
    void subjectsMatchWholeSegmentsOnly() {
        assertThat(VerdictJudge.mentions("default/web-1", "web-1")).isTrue();
        assertThat(VerdictJudge.mentions("default/web-10", "web-1")).isFalse();
        assertThat(VerdictJudge.mentions("orders", "orders")).isTrue();
    }
}
