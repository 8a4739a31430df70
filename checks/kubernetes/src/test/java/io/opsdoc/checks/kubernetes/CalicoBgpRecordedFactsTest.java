package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s-calico-bgp on the layout of Calico's own BIRD, a fork of BIRD 1.6, which the lab cannot run (Debian ships
 * BIRD 2.0 as bird2; bird 1.6 conflicts with it). The rows are what BIRD 1.6.8's proto.c prints through birdcl:
 * {@code "%-8s %-8s %-8s %-5s %-10s %s"} (name, proto, table, state, since, info) under the header
 * {@code name     proto    table    state  since       info}, the info of a BGP protocol {@code "%-14s%s"} (the
 * session state, then the last error), "since" a time of day or, after a day, a date. Every code is also earned on
 * real BIRD 2 daemons in CalicoBgpScenariosTest; this pins the other layout.
 */
class CalicoBgpRecordedFactsTest {
    private final CalicoBgp check = new CalicoBgp();

    private static String row(String name, String proto, String state, String since, String info) {
        return String.format("%-8s %-8s %-8s %-5s %-10s %s%n", name, proto, "master", state, since, info);
    }

    private static String bgpInfo(String state, String error) {
        return String.format("%-14s%s", state, error);
    }

    private static final String HEAD = "BIRD 1.6.8 ready.\nname     proto    table    state  since       info\n";

    private static final String CALICO_ONE_DOWN = HEAD
            + row("static1", "Static", "up", "2026-12-04", "")
            + row("kernel1", "Kernel", "up", "2026-12-04", "")
            + row("device1", "Device", "up", "2026-12-04", "")
            + row("direct1", "Direct", "up", "2026-12-04", "")
            + row("Mesh_172_17_8_102", "BGP", "up", "03:12:41", bgpInfo("Established", ""))
            + row("Mesh_172_17_8_103", "BGP", "start", "03:14:02", bgpInfo("Active", "Socket: Connection refused"))
            + row("Node_fd00_10__1", "BGP", "start", "03:14:05", bgpInfo("OpenSent", ""));

    private Evaluation evaluate(String output) {
        return Evaluation.of(check, "local:", new BgpFacts(Instant.parse("2026-12-05T03:15:00Z"),
                "/var/run/calico/bird.ctl", output), Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    @Test
    void parsesBird16RowsWithDateOrTimeAndTheSessionStateInInfo() {
        BirdProtocols t = BirdProtocols.parse(CALICO_ONE_DOWN);
        assertThat(t.version()).isEqualTo("1.6.8");
        assertThat(t.protocols()).hasSize(7);
        assertThat(t.bgp()).extracting(BirdProtocols.Protocol::name)
                .containsExactly("Mesh_172_17_8_102", "Mesh_172_17_8_103", "Node_fd00_10__1");
        BirdProtocols.Protocol down = t.bgp().get(1);
        assertThat(down.state()).isEqualTo("start");
        assertThat(down.since()).isEqualTo("03:14:02");
        assertThat(down.bgpState()).isEqualTo("Active");
        assertThat(down.detail()).isEqualTo("Socket: Connection refused");
        assertThat(t.protocols().get(0).since()).isEqualTo("2026-12-04");
        assertThat(BirdProtocols.calicoPeer("Node_fd00_10__1")).containsExactly("fd00:10::1", "node-specific BGPPeer");
    }

    @Test
    void onePeerDownOfThreeWarnsPerPeerNamingAddressStateAndError() {
        Evaluation e = evaluate(CALICO_ONE_DOWN);
        assertThat(e.findings()).extracting(Finding::code).containsExactly("BGP_PEER_DOWN", "BGP_PEER_DOWN");
        Finding mesh = e.findings().get(0);
        assertThat(mesh.severity()).isEqualTo(Severity.WARNING);
        assertThat(mesh.summary()).contains("Mesh_172_17_8_103 (node-to-node mesh peer 172.17.8.103) is Active "
                + "(Socket: Connection refused)", "1 of 3 sessions are Established");
        assertThat(mesh.evidence()).containsEntry("peer", "172.17.8.103").containsEntry("bgp_state", "Active")
                .containsEntry("state", "start").containsEntry("bird_version", "1.6.8");
        assertThat(e.findings().get(1).summary()).contains("OpenSent", "AS numbers");
    }

    @Test
    void allEstablishedIsHealthyAndNoBgpProtocolIsInfo() {
        String healthy = HEAD + row("device1", "Device", "up", "2026-12-04", "")
                + row("Mesh_172_17_8_102", "BGP", "up", "03:12:41", bgpInfo("Established", ""));
        assertThat(evaluate(healthy).findings()).isEmpty();
        Evaluation none = evaluate(HEAD + row("device1", "Device", "up", "2026-12-04", ""));
        assertThat(none.findings()).extracting(Finding::code).containsExactly("BGP_NO_PEERS");
        assertThat(none.findings().get(0).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void noSessionUpIsCritical() {
        String allDown = HEAD + row("Mesh_172_17_8_103", "BGP", "start", "03:14:02", bgpInfo("Connect", ""));
        Finding f = evaluate(allDown).findings().get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("no BGP session of this node is up", "port 179");
    }

    @Test
    void bird2WithIsoLongTimeFormatKeepsTheWholeSince() {
        String out = "BIRD 2.0.12 ready.\nAccess restricted\n"
                + "Name       Proto      Table      State  Since         Info\n"
                + "Mesh_10_0_0_2 BGP        ---        start  2026-12-05 03:32:28  Active        Received: Hold timer expired\n";
        BirdProtocols.Protocol p = BirdProtocols.parse(out).bgp().get(0);
        assertThat(p.since()).isEqualTo("2026-12-05 03:32:28");
        assertThat(p.bgpState()).isEqualTo("Active");
        assertThat(p.detail()).isEqualTo("Received: Hold timer expired");
    }

    @Test
    void textWithoutTheTableIsNotATable() {
        assertThat(BirdProtocols.parse("BIRD 2.0.12 ready.\nAccess restricted\n")).isNull();
    }
}
