package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.util.List;

/**
 * iptables-rules (part of {@link HostScenarios}). Reading rules needs CAP_NET_ADMIN, so the rule sets are built in
 * the lab's network namespace and read on the local variant (root here) with {@code netns=}: this machine's own
 * rules never decide a scenario. The ssh variant's user is the ordinary monitoring user: it meets PERMISSION_DENIED.
 */
final class FirewallScenarios {
    private FirewallScenarios() {
    }

    static List<Scenario<HostLab>> scenarios() {
        return List.of(
                rules("iptables-healthy", "INPUT accepts loopback and SSH and rejects one closed port; nothing hits the "
                        + "reject, FORWARD accepts, one back end").breaks(lab -> lab.firewall(FirewallFaults::ordinaryInputRules)).healthy()
                        .metrics("iptables_rules", "iptables_dropped_packets_in_window").build(),
                rules("iptables-drops", "a DROP rule for UDP port 9 from the host, which sends a datagram there every "
                        + "20 ms through the window").holds(lab -> lab.firewall(FirewallFaults::droppedTraffic))
                        .expect(code("DROPS_INCREASING").severity(WARNING).evidence("chain", "INPUT")
                                .evidence("target", "DROP").positive("packets_in_window")
                                .says("--dport 9", "/32", "iptables -vnL INPUT"))
                        .absent("NO_INPUT_FILTERING").build(),
                rules("iptables-forward-drop", "a hardening script set FORWARD's policy to DROP and added no rule")
                        .breaks(lab -> lab.firewall(FirewallFaults::forwardPolicyDrop))
                        .expect(code("FORWARD_POLICY_DROP").severity(WARNING).evidence("forward_rules", 0L)
                                .says("every routed packet is discarded")).build(),
                rules("iptables-large", "5,200 rules loaded with one iptables-restore (the default threshold is 5,000)")
                        .breaks(lab -> lab.firewall(FirewallFaults.largeRuleSet(5200)))
                        .expect(code("RULESET_LARGE").severity(WARNING).evidence("ipv4_rules", 5200L)
                                .says("5200 rules", "above 5000")).build(),
                rules("iptables-mixed-back-ends", "one rule loaded with iptables-legacy and one with iptables-nft")
                        .breaks(lab -> lab.firewall(FirewallFaults::mixedBackEnds))
                        .expect(code("MIXED_LEGACY_NFT").severity(WARNING).evidence("legacy_rules", 1L)
                                .says("iptables-legacy-save", "update-alternatives")).build(),
                rules("iptables-no-input-filtering", "the namespace's INPUT chain has policy ACCEPT and no rule")
                        .expect(code("NO_INPUT_FILTERING").severity(INFO).evidence("input_rules", 0L)
                                .says("nothing filters incoming"))
                        .absent("DROPS_INCREASING", "FORWARD_POLICY_DROP").build(),
                HostScenarios.host("iptables-permission-denied", "the ordinary monitoring user (no sudo rule, no "
                        + "CAP_NET_ADMIN) asks for the rules").checks("iptables-rules").param("window", "1s")
                        .onlyOn(HostLab.SSH)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("CAP_NET_ADMIN", "sudo=true"))
                        .build());
    }

    /** iptables-rules on local: inside the lab's namespace, over a 1 s window. */
    private static Scenario.Builder<HostLab> rules(String id, String story) {
        return HostScenarios.host(id, story).checks("iptables-rules").param("netns", HostLab::netnsName)
                .param("window", "1s").onlyOn(HostLab.LOCAL);
    }
}
