package io.opsdoc.checks.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * keepalived-vip's process and state rules on facts in their real formats (/proc/PID/stat lines as Linux 6.1 prints
 * them in the lab's peers, state files as notify scripts and notify_fifo write them): what the lab does not produce
 * (a state that disagrees with the addresses, /proc mounted hidepid) and the state-file path rule.
 */
class VrrpStateTest {
    private static final String STAT_RUNNING = """
            1 (sleep) S 0 0 0 0 -1 4194560 150 118 0 1 0 0 0 0 20 0 1 0 446870 5623808 232 18446744073709551615
            3 (keepalived) S 0 0 0 0 -1 4194304 624 0 0 0 1 2 0 0 20 0 1 0 446901 25276416 1404 18446744073709551615
            4 (keepalived) S 3 0 0 0 -1 4194624 110 368 0 0 0 2 1 1 20 0 1 0 446903 25538560 1046 18446744073709551615
            9 (sshd) S 0 0 0 0 -1 4194560 300 0 0 0 0 0 0 0 20 0 1 0 446880 15253504 2000 18446744073709551615
            """;
    /** keepalived killed while its child was a zombie not yet reaped: not running. */
    private static final String STAT_ZOMBIE = """
            1 (sleep) S 0 0 0 0 -1 4194560 150 118 0 1 0 0 0 0 20 0 1 0 446870 5623808 232 18446744073709551615
            4 (keepalived) Z 1 0 0 0 -1 4227148 110 368 0 0 0 2 1 1 20 0 1 0 446903 0 0 18446744073709551615
            """;
    /** hidepid=2: the monitoring user sees only its own processes, no PID 1. */
    private static final String STAT_HIDEPID = """
            812 (sshd) S 800 800 800 0 -1 4194560 300 0 0 0 0 0 0 0 20 0 1 0 446880 15253504 2000 18446744073709551615
            813 (cat) R 812 813 813 0 -1 4194304 95 0 0 0 0 0 0 0 20 0 1 0 446990 5623808 200 18446744073709551615
            """;
    private static final String VIP_LINE = "2: kaa1    inet 10.215.7.100/24 scope global secondary kaa1\\       valid_lft "
            + "forever preferred_lft forever\n";
    private static final String OWN_LINE = "2: kaa1    inet 10.215.7.%d/24 scope global kaa1\\       valid_lft forever "
            + "preferred_lft forever\n";

    private final KeepalivedVip check = new KeepalivedVip();

    private List<Finding> evaluate(Map<String, String> params, KeepalivedFacts.Peer... peers) {
        return Evaluation.of(check, "ssh://opsdoc@a,b", new KeepalivedFacts(List.of(peers)),
                Parameters.resolve(check.id(), check.parameters(), params)).findings();
    }

    private static KeepalivedFacts.Peer peer(String name, boolean vip, String stat, String state) {
        String out = String.format(OWN_LINE, name.equals("opsdoc@a") ? 1 : 2) + (vip ? VIP_LINE : "");
        return new KeepalivedFacts.Peer(name, IpAddresses.parse(out), null, null,
                VrrpState.keepalivedProcesses(stat), state == null ? null : VrrpState.parse(state), null);
    }

    private static final Map<String, String> STATE = Map.of("vip", "10.215.7.100", "state-file",
            "/run/keepalived/VI_1.state");

    @Test
    void countsLiveKeepalivedProcessesAndTellsHiddenFromNone() {
        assertThat(VrrpState.keepalivedProcesses(STAT_RUNNING)).isEqualTo(2);
        assertThat(VrrpState.keepalivedProcesses(STAT_ZOMBIE)).isZero();
        assertThat(VrrpState.keepalivedProcesses(STAT_HIDEPID)).isNull();
    }

    @Test
    void hiddenProcessesAreNotReadAsKeepalivedDown() {
        List<Finding> f = evaluate(Map.of("vip", "10.215.7.100"), peer("opsdoc@a", true, STAT_HIDEPID, null),
                peer("opsdoc@b", false, STAT_HIDEPID, null));
        assertThat(f).isEmpty();
    }

    @Test
    void aZombieKeepalivedIsDown() {
        List<Finding> f = evaluate(Map.of("vip", "10.215.7.100"), peer("opsdoc@a", true, STAT_RUNNING, null),
                peer("opsdoc@b", false, STAT_ZOMBIE, null));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("KEEPALIVED_DOWN");
            assertThat(x.severity()).isEqualTo(Severity.WARNING);
        });
    }

    @Test
    void readsPlainAndNotifyFifoStateLinesAndNothingElse() {
        assertThat(VrrpState.parse("MASTER\n")).isEqualTo("MASTER");
        assertThat(VrrpState.parse("INSTANCE \"VI_1\" BACKUP 100\n")).isEqualTo("BACKUP");
        assertThat(VrrpState.parse("fault")).isEqualTo("FAULT");
        assertThat(VrrpState.parse("    auth_pass opsdoc1\nMASTER\n")).isNull();
    }

    @Test
    void aBackupHoldingTheVipAndAMasterWithoutItAreUnexpected() {
        List<Finding> f = evaluate(STATE, peer("opsdoc@a", false, STAT_RUNNING, "MASTER"),
                peer("opsdoc@b", true, STAT_RUNNING, "BACKUP"));
        assertThat(f).extracting(Finding::code).containsExactly("UNEXPECTED_MASTER", "UNEXPECTED_MASTER");
        assertThat(f).extracting(Finding::summary).anyMatch(s -> s.contains("says MASTER but holds none"))
                .anyMatch(s -> s.contains("while its state is BACKUP"));
        assertThat(f).allMatch(x -> x.severity() == Severity.WARNING);
    }

    @Test
    void aStoppedPeersStaleStateIsNotJudged() {
        List<Finding> f = evaluate(STATE, peer("opsdoc@a", false, STAT_ZOMBIE, "MASTER"),
                peer("opsdoc@b", true, STAT_RUNNING, "MASTER"));
        assertThat(f).extracting(Finding::code).containsExactly("KEEPALIVED_DOWN");
    }

    @Test
    void stateFileMustBeUnderKeepalivedsRuntimeOrStateDirectoryAndNotItsConfiguration() {
        assertThat(VrrpState.stateFile("/run/keepalived/VI_1.state")).isEqualTo("/run/keepalived/VI_1.state");
        assertThat(VrrpState.stateFile(" ")).isEmpty();
        for (String bad : List.of("/etc/keepalived/keepalived.conf", "/run/keepalived/keepalived.conf",
                "/run/keepalived/../../etc/shadow", "/tmp/keepalived.data", "/run/keepalived/x.conf",
                "run/keepalived/VI_1.state", "/run/keepalived/VI_1.state; cat /etc/shadow", "/run/keepalivedX/s")) {
            assertThatThrownBy(() -> VrrpState.stateFile(bad)).as(bad).isInstanceOf(UsageException.class);
        }
    }

    @Test
    void expectedMasterMustBeAPeerAndNeedsTheVip() {
        io.opsdoc.core.Target t = io.opsdoc.core.Target.parse("ssh://opsdoc@lb1,lb2:2222");
        check.validate(t, Parameters.resolve(check.id(), check.parameters(),
                Map.of("vip", "10.0.0.100", "expected-master", "lb2")));
        assertThatThrownBy(() -> check.validate(t, Parameters.resolve(check.id(), check.parameters(),
                Map.of("vip", "10.0.0.100", "expected-master", "lb3")))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> check.validate(t, Parameters.resolve(check.id(), check.parameters(),
                Map.of("expected-master", "lb1")))).isInstanceOf(UsageException.class);
    }
}
