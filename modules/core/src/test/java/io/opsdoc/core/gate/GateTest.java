package io.opsdoc.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.report.JsonReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on the fake check: fake://hang never answers, fake://h:N reports VALUE_HIGH (CRITICAL) when N > limit. */
class GateTest {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    @TempDir
    Path dir;

    private OpsdocConfig config(String yaml) throws IOException {
        Path f = dir.resolve("opsdoc.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, REGISTRY);
    }

    private static Finding finding(Outcome o, String code) {
        return o.findings().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void fiftyTargetsWithTenBlackHolesTakeAboutOneTimeoutNotTen() throws IOException {
        StringBuilder yaml = new StringBuilder("defaults: {timeout: 1s}\ntargets:\n");
        for (int i = 0; i < 50; i++) {
            String uri = i % 5 == 0 ? "fake://hang:" + (i + 1) : "fake://host" + i + ":1?sleep=50";
            yaml.append("  t").append(i).append(": {uri: \"").append(uri).append("\", checks: [fake-check]}\n");
        }
        long t0 = System.nanoTime();
        Outcome o = Gate.run(config(yaml.toString()), REGISTRY, Set.of(), Map.of(), null, TODAY);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).as("wall time").isLessThan(3.0);
        assertThat(o.reports()).hasSize(50);
        assertThat(o.reports().stream().filter(r -> r.status() == Severity.UNKNOWN)).hasSize(10)
                .allSatisfy(r -> assertThat(r.findings().get(0).code()).isEqualTo("TIMEOUT"));
        assertThat(o.targetName(0)).isEqualTo("t0");
        assertThat(FailOn.NAGIOS.exitCode(o)).isEqualTo(3);
    }

    @Test
    void neverMoreThanPerTargetRunsAgainstOneServer() throws IOException {
        StringBuilder yaml = new StringBuilder("defaults: {per-target: 2, concurrency: 16}\ntargets:\n");
        for (int i = 0; i < 8; i++) { // eight names for one server, which is what per-target protects
            yaml.append("  n").append(i).append(": {uri: \"fake://busy-server:1?sleep=150\", checks: [fake-check]}\n");
        }
        Outcome o = Gate.run(config(yaml.toString()), REGISTRY, Set.of(), Map.of(), null, TODAY);
        assertThat(o.reports()).hasSize(8);
        assertThat(io.opsdoc.core.FakeCheck.mostInFlight("busy-server")).isEqualTo(2);
    }

    @Test
    void tagsSelectTargets() throws IOException {
        OpsdocConfig c = config("""
                targets:
                  a: {uri: "fake://a:1", tags: [prod, db], checks: [fake-check]}
                  b: {uri: "fake://b:1", tags: [prod], checks: [fake-check]}
                  c: {uri: "fake://c:1", tags: [dev], checks: [fake-check]}
                """);
        assertThat(Gate.run(c, REGISTRY, Set.of("prod"), Map.of(), null, TODAY).reports()).hasSize(2);
        assertThat(Gate.run(c, REGISTRY, Set.of("prod", "db"), Map.of(), null, TODAY).reports()).hasSize(1);
    }

    @Test
    void waiversWaiveUntilTheyExpireAndReportThemselves() throws IOException {
        String base = """
                targets:
                  db: {uri: "fake://db:42", checks: [fake-check]}
                  ok: {uri: "fake://ok:1", checks: [fake-check]}
                waivers:
                  - {target: db, code: VALUE_HIGH, reason: known, owner: dba, expires: %s}
                  - {target: ok, code: VALUE_HIGH, reason: long fixed, owner: ops, expires: 2027-06-30}
                """;
        Outcome valid = Gate.run(config(base.formatted("2026-11-21")), REGISTRY, Set.of(), Map.of(), null, TODAY);
        Finding high = finding(valid, "VALUE_HIGH");
        assertThat(valid.isWaived(high)).isTrue();
        assertThat(valid.waiver(high).owner()).isEqualTo("dba");
        assertThat(finding(valid, "WAIVER_UNUSED").subject()).isEqualTo("ok/VALUE_HIGH");
        assertThat(valid.status()).isEqualTo(Severity.INFO);
        assertThat(FailOn.WARNING.exitCode(valid)).isZero();

        Outcome expired = Gate.run(config(base.formatted("2026-11-20")), REGISTRY, Set.of(), Map.of(), null, TODAY);
        assertThat(expired.isWaived(finding(expired, "VALUE_HIGH"))).isFalse();
        Finding w = finding(expired, "WAIVER_EXPIRED");
        assertThat(w.severity()).isEqualTo(Severity.WARNING);
        assertThat(w.summary()).contains("expired on 2026-11-20");
        assertThat(w.check()).isEqualTo(Gate.CHECK_ID);
        assertThat(expired.status()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void baselineClassifiesNewPersistingAndResolved() throws IOException {
        OpsdocConfig before = config("""
                targets:
                  a: {uri: "fake://a:42", checks: [fake-check]}
                  b: {uri: "fake://b:43", checks: [fake-check]}
                """);
        Outcome first = Gate.run(before, REGISTRY, Set.of(), Map.of(), null, TODAY);
        Path json = dir.resolve("previous.json");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new JsonReportWriter().write(first, new PrintStream(buf, true, StandardCharsets.UTF_8));
        io.opsdoc.core.report.ReportSchema.assertValid(buf.toString(StandardCharsets.UTF_8));
        Files.write(json, buf.toByteArray());

        OpsdocConfig after = config("""
                targets:
                  a: {uri: "fake://a:42", checks: [fake-check]}
                  b: {uri: "fake://b:1", checks: [fake-check]}
                  c: {uri: "fake://c:44", checks: [fake-check]}
                """);
        Outcome second = Gate.run(after, REGISTRY, Set.of(), Map.of(), Baseline.read(json), TODAY);
        Map<String, Change> byTarget = new java.util.HashMap<>();
        second.findings().forEach(f -> byTarget.put(f.target(), second.change(f)));
        assertThat(byTarget).containsEntry("fake://a:42", Change.PERSISTING).containsEntry("fake://c:44", Change.NEW);
        assertThat(second.resolved()).singleElement().satisfies(f -> assertThat(f.target()).isEqualTo("fake://b:43"));
        assertThat(FailOn.NEW.exitCode(second)).isEqualTo(1);
        Outcome same = Gate.run(before, REGISTRY, Set.of(), Map.of(), Baseline.read(json), TODAY);
        assertThat(FailOn.NEW.exitCode(same)).as("only persisting problems").isZero();
        assertThat(FailOn.NAGIOS.exitCode(same)).isEqualTo(2);
    }

    @Test
    void failOnMapsSeveritiesToPassOrFail() {
        Outcome warning = outcome(Severity.WARNING);
        Outcome unknown = outcome(Severity.UNKNOWN);
        Outcome critical = outcome(Severity.CRITICAL);
        Outcome info = outcome(Severity.INFO);
        assertThat(FailOn.NAGIOS.exitCode(warning)).isEqualTo(1);
        assertThat(FailOn.NAGIOS.exitCode(unknown)).isEqualTo(3);
        assertThat(FailOn.NAGIOS.exitCode(info)).isZero();
        assertThat(FailOn.WARNING.exitCode(warning)).isEqualTo(1);
        assertThat(FailOn.WARNING.exitCode(unknown)).isEqualTo(1);
        assertThat(FailOn.WARNING.exitCode(info)).isZero();
        assertThat(FailOn.UNKNOWN.exitCode(warning)).isZero();
        assertThat(FailOn.UNKNOWN.exitCode(unknown)).isEqualTo(1);
        assertThat(FailOn.CRITICAL.exitCode(unknown)).isZero();
        assertThat(FailOn.CRITICAL.exitCode(critical)).isEqualTo(1);
        assertThat(FailOn.NEW.exitCode(critical)).as("no baseline: every problem is new").isEqualTo(1);
        assertThat(FailOn.NEW.exitCode(info)).isZero();
    }

    private static Outcome outcome(Severity s) {
        Finding f = Finding.of("c", "t", "X", s, "x", Map.of(), "n#x", null);
        return Outcome.of(java.util.List.of(new Report("c", "t", s, java.util.List.of(f), java.util.List.of(), 0, java.time.Instant.EPOCH)));
    }
}
