package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.checks.host.ProcStat;
import io.opsdoc.checks.kubernetes.NodeFacts.KubeletHost;
import io.opsdoc.checks.kubernetes.NodeFacts.ReadyEvent;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s-node-notready's kubelet-host on what the lab cannot show: a node whose init is systemd (the test machines run
 * none), in {@code systemctl show}'s exact KEY=VALUE output for a kubelet systemd keeps restarting, a /proc mounted
 * with hidepid, and a k3s agent; and READY_FLAPPING's arithmetic on repeated events that straddle the window.
 * KUBELET_INACTIVE and READY_FLAPPING themselves are earned in KubernetesScenariosTest.
 */
class NodeReadinessRecordedFactsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T07:10:00Z");
    private final NodeReadiness check = new NodeReadiness();

    /** {@code systemctl show kubelet.service --no-pager --property=...} (systemd 252) of a kubelet exiting at start. */
    private static final String SHOW_RESTARTING = """
            ExecMainStatus=1
            Result=exit-code
            NRestarts=37
            LoadState=loaded
            ActiveState=activating
            SubState=auto-restart
            InactiveEnterTimestamp=Sat 2026-12-05 07:09:52 UTC
            ActiveEnterTimestamp=Sat 2026-12-05 07:09:41 UTC
            """;

    /** /proc/PID/stat lines as the host transport returns them: PID 1 systemd, containerd, a kubelet zombie. */
    private static final String STAT_SYSTEMD_NO_KUBELET = """
            1 (systemd) S 0 1 1 0 -1 4194560 81232 4913874 125 3345 1222 1043 21230 9123 20 0 1 0 3 173432832 3184
            612 (containerd) S 1 612 612 0 -1 1077936384 52231 0 12 0 40123 14222 0 0 20 0 14 0 1822 2055385088 12231
            9310 (kubelet) Z 1 9310 9310 0 -1 4228108 0 0 0 0 2 1 0 0 20 0 1 0 991223 0 0
            9402 (tmux: server) S 1 9402 9402 0 -1 4194368 601 0 0 0 12 4 0 0 20 0 1 0 1822 11001856 901
            """;

    private Evaluation evaluate(KubeletHost kubelet, List<ReadyEvent> events, Map<String, String> params) {
        NodeFacts facts = new NodeFacts(NOW, new ServerVersion("v1.32.2", "1", "32"), List.of(), 50, events, kubelet);
        return Evaluation.of(check, "k8s://", facts, Parameters.resolve(check.id(), check.parameters(), params));
    }

    private static KubeletHost host(String stat, String systemctl) {
        return KubeletOnHost.of("ops@node3:22", ProcStat.liveByCommand(ProcStat.parse(stat)),
                systemctl == null ? null : KubeletOnHost.properties(systemctl));
    }

    @Test
    void systemdRestartingAKubeletThatExitsAtStartIsInactiveWithTheUnitsWords() {
        Evaluation e = evaluate(host(STAT_SYSTEMD_NO_KUBELET, SHOW_RESTARTING), List.of(), Map.of());
        assertThat(e.findings()).extracting(Finding::code).containsExactly("KUBELET_INACTIVE");
        Finding f = e.findings().get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("no kubelet runs on ops@node3:22 (kubelet.service activating/auto-restart, "
                + "result exit-code, restarted 37 times)", "the container runtime runs (containerd)");
        assertThat(f.evidence()).containsEntry("kubelet_processes", 0).containsEntry("systemd_ExecMainStatus", "1")
                .containsEntry("systemd_NRestarts", "37").containsEntry("containerd_processes", 1);
    }

    @Test
    void statLinesCountLiveProcessesByNameAndNeedPidOne() {
        List<ProcStat> table = ProcStat.parse(STAT_SYSTEMD_NO_KUBELET);
        assertThat(ProcStat.init(table)).isEqualTo("systemd");
        assertThat(ProcStat.liveByCommand(table)).containsEntry("containerd", 1).containsEntry("tmux: server", 1)
                .doesNotContainKey("kubelet");
        String hidepid = "9402 (tmux: server) S 1 9402 9402 0 -1 4194368 601 0 0 0 12 4 0 0 20 0 1 0 1822 11001856 901\n";
        assertThat(ProcStat.liveByCommand(ProcStat.parse(hidepid))).isNull();
    }

    @Test
    void withHidepidSystemdDecidesAndWithoutEitherThereIsNoVerdict() {
        String hidepid = "9402 (bash) S 1 9402 9402 0 -1 4194368 601 0 0 0 12 4 0 0 20 0 1 0 1822 11001856 901\n";
        String failed = SHOW_RESTARTING.replace("ActiveState=activating", "ActiveState=failed")
                .replace("SubState=auto-restart", "SubState=failed");
        assertThat(evaluate(host(hidepid, failed), List.of(), Map.of()).findings()).extracting(Finding::code)
                .containsExactly("KUBELET_INACTIVE");
        String active = SHOW_RESTARTING.replace("ActiveState=activating", "ActiveState=active")
                .replace("SubState=auto-restart", "SubState=running");
        assertThat(evaluate(host(hidepid, active), List.of(), Map.of()).findings()).isEmpty();
        assertThat(evaluate(host(hidepid, null), List.of(), Map.of()).findings()).isEmpty();
    }

    @Test
    void aK3sAgentCarriesTheKubeletAndAMissingUnitDefersToTheProcesses() {
        String k3s = "1 (systemd) S 0 1 1 0 -1 4194560 81232 4913874 125 3345 1222 1043 21230 9123 20 0 1 0 3 1 1\n"
                + "733 (k3s-agent) S 1 733 733 0 -1 1077936384 52231 0 12 0 40123 14222 0 0 20 0 14 0 1822 1 1\n";
        assertThat(evaluate(host(k3s, "LoadState=not-found\nActiveState=inactive\nSubState=dead\n"), List.of(),
                Map.of()).findings()).isEmpty();
    }

    @Test
    void aRepeatedEventCountsOnlyItsShareInsideTheWindow() {
        // NodeNotReady every 2 minutes for 2 hours: 60 repeats in one object, the last a minute ago
        ReadyEvent longFlap = new ReadyEvent("worker-3", "NodeNotReady", "kubelet", 60,
                NOW.minus(Duration.ofMinutes(119)), NOW.minus(Duration.ofMinutes(1)), null);
        assertThat(ReadyFlapping.inWindow(longFlap, NOW.minus(Duration.ofMinutes(15)))).isEqualTo(8);
        ReadyEvent old = new ReadyEvent("worker-3", "NodeReady", "kubelet", 3, NOW.minus(Duration.ofMinutes(50)),
                NOW.minus(Duration.ofMinutes(20)), null);
        assertThat(ReadyFlapping.inWindow(old, NOW.minus(Duration.ofMinutes(15)))).isZero();
        ReadyEvent series = new ReadyEvent("worker-3", "NodeReady", "kubelet", 1, NOW.minusSeconds(30),
                NOW.minusSeconds(30), null);
        assertThat(ReadyFlapping.inWindow(series, NOW.minus(Duration.ofMinutes(15)))).isEqualTo(1);
    }

    @Test
    void theKubeletAndTheControllerRecordingTheSameDropCountOnce() {
        List<ReadyEvent> events = List.of(
                new ReadyEvent("worker-3", "NodeNotReady", "kubelet", 1, NOW.minusSeconds(300), NOW.minusSeconds(300), null),
                new ReadyEvent("worker-3", "NodeNotReady", "node-controller", 2, NOW.minusSeconds(600), NOW.minusSeconds(299), null),
                new ReadyEvent("worker-3", "NodeReady", "kubelet", 1, NOW.minusSeconds(200), NOW.minusSeconds(200), null));
        // one NotReady seen by both, one Ready: 3 transitions, not 4
        Evaluation three = evaluate(null, events, Map.of());
        assertThat(three.metrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("node_ready_transitions_max");
            assertThat(m.value()).isEqualTo(3.0);
        });
        assertThat(three.findings()).extracting(Finding::code).containsExactly("READY_FLAPPING");
        assertThat(three.findings().get(0).summary()).contains("about 3 times in the last 15m");
        assertThat(evaluate(null, events, Map.of("flap-transitions", "3")).findings()).isEmpty();
    }

    @Test
    void eventsThatCouldNotBeListedGiveNoVerdict() {
        assertThat(evaluate(null, null, Map.of("flap-transitions", "0")).findings()).isEmpty();
    }
}
