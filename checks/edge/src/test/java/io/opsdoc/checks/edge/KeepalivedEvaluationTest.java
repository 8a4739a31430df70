package io.opsdoc.checks.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * keepalived-vip and lvs-realserver-prereqs on {@code ip -o addr show} output as iproute2 6.1 prints it (captured in
 * the keepalived lab's namespaces): the judgements the lab does not repeat (no VIP named, a peer not read while none
 * of the others has the VIP, IPv6 spellings).
 */
class KeepalivedEvaluationTest {
    private static final String PEER_A = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
            2: kaa123    inet 10.215.7.1/24 scope global kaa123\\       valid_lft forever preferred_lft forever
            2: kaa123    inet 10.215.7.100/24 scope global secondary kaa123\\       valid_lft forever preferred_lft forever
            2: kaa123    inet6 fd00:0:0::64/64 scope global \\       valid_lft forever preferred_lft forever
            2: kaa123    inet6 fe80::fc:ff:fe00:1/64 scope link \\       valid_lft forever preferred_lft forever
            """;
    private static final String PEER_B = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            3: kab123@if2    inet 10.215.7.2/24 scope global kab123\\       valid_lft forever preferred_lft forever
            3: kab123@if2    inet 10.215.7.100/24 scope global secondary kab123\\       valid_lft forever preferred_lft forever
            3: kab123@if2    inet6 fd00::64/64 scope global \\       valid_lft forever preferred_lft forever
            """;

    private final KeepalivedVip check = new KeepalivedVip();

    private List<Finding> evaluate(KeepalivedFacts facts, Map<String, String> params) {
        return Evaluation.of(check, "ssh://opsdoc@a,b", facts, Parameters.resolve(check.id(), check.parameters(), params))
                .findings();
    }

    private static KeepalivedFacts.Peer peer(String name, String out) {
        return new KeepalivedFacts.Peer(name, IpAddresses.parse(out), null, null);
    }

    @Test
    void parsesDevicesScopesAndPrefixes() {
        List<HostAddress> b = IpAddresses.parse(PEER_B);
        assertThat(b).extracting(HostAddress::device).containsOnly("lo", "kab123");
        assertThat(b).filteredOn(a -> a.address().equals("10.215.7.100")).singleElement()
                .satisfies(a -> assertThat(a.prefix()).isEqualTo(24)).satisfies(a -> assertThat(a.scope()).isEqualTo("global"));
    }

    @Test
    void withoutAVipEveryGlobalAddressOnTwoPeersIsSplitBrainAndIpv6SpellingsCompareEqual() {
        List<Finding> f = evaluate(new KeepalivedFacts(List.of(peer("a", PEER_A), peer("b", PEER_B))), Map.of());
        assertThat(f).extracting(Finding::code).containsOnly("VIP_ON_MULTIPLE_NODES");
        assertThat(f).extracting(Finding::summary).anyMatch(s -> s.contains("10.215.7.100"))
                .anyMatch(s -> s.contains("fd00:0:0:0:0:0:0:64"));
        assertThat(f).allMatch(x -> x.severity() == Severity.CRITICAL);
    }

    @Test
    void aVipMissingFromTheReadPeersIsNotCalledAbsentWhileAPeerWasNotRead() {
        String withoutVip = PEER_B.lines().filter(l -> !l.contains(".100/")).reduce("", (x, y) -> x + y + "\n");
        KeepalivedFacts facts = new KeepalivedFacts(List.of(new KeepalivedFacts.Peer("a", null, "UNREACHABLE",
                "connection refused"), peer("b", withoutVip)));
        List<Finding> f = evaluate(facts, Map.of("vip", "10.215.7.100"));
        assertThat(f).extracting(Finding::code).containsExactly("PEER_UNREADABLE");
        List<Finding> allRead = evaluate(new KeepalivedFacts(List.of(peer("b", withoutVip))), Map.of("vip", "10.215.7.100/24"));
        assertThat(allRead).extracting(Finding::code).containsExactly("VIP_ABSENT");
    }

    @Test
    void realServerWithTheVipOnAnInterfaceAnswersArpForIt() {
        LvsRealServer rs = new LvsRealServer();
        String out = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 192.0.2.10/24 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 192.0.2.100/32 scope global eth0\\       valid_lft forever preferred_lft forever
                """;
        LvsRealServerFacts facts = new LvsRealServerFacts("local:", IpAddresses.parse(out),
                Map.of("all", 1, "eth0", 0), Map.of("all", 0, "eth0", 2));
        List<Finding> f = Evaluation.of(rs, "local:", facts, Parameters.resolve(rs.id(), rs.parameters(),
                Map.of("vip", "192.0.2.100"))).findings();
        assertThat(f).extracting(Finding::code).containsExactly("VIP_NOT_ON_LOOPBACK");
        assertThat(f.get(0).summary()).contains("it is on eth0 192.0.2.100/32");
        // without a VIP named and none on lo: not set up at all
        List<Finding> none = Evaluation.of(rs, "local:", facts, Parameters.resolve(rs.id(), rs.parameters(), Map.of()))
                .findings();
        assertThat(none).extracting(Finding::code).containsExactly("VIP_NOT_ON_LOOPBACK");
        assertThat(none.get(0).summary()).contains("no VIP on lo");
    }
}
