package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.IptablesCode.DROPS_INCREASING;
import static io.opsdoc.checks.host.IptablesCode.FORWARD_POLICY_DROP;
import static io.opsdoc.checks.host.IptablesCode.MIXED_LEGACY_NFT;
import static io.opsdoc.checks.host.IptablesCode.NO_INPUT_FILTERING;
import static io.opsdoc.checks.host.IptablesCode.RULESET_LARGE;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Severity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What does this host's packet filter do? Two samples of {@code iptables-save -c} and {@code ip6tables-save -c} over
 * a window give the policy of every chain, the rule counts and, per DROP/REJECT rule, the packets it discarded
 * meanwhile (with the rule's source match: "-vnL shows what was dropped per source"); one look at
 * {@code iptables-legacy-save} and {@code iptables-nft-save} tells whether both back ends hold rules at once. Reading
 * rules needs CAP_NET_ADMIN: an unprivileged user gets PERMISSION_DENIED saying what is missing.
 */
public final class IptablesRules extends HostCheck<IptablesFacts> {
    public static final String ID = "iptables-rules";
    static final String NOTE = "network/iptables";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two samples of the rule counters (fitted into --timeout)"),
            new ParameterSpec("drop-packets", ParameterType.INTEGER, "10",
                    "packets one DROP/REJECT rule or DROP policy must discard within the window to be reported"),
            new ParameterSpec("max-rules", ParameterType.INTEGER, "5000",
                    "rules (IPv4 and IPv6, every table) above which the rule set counts as large"),
            new ParameterSpec("sudo", ParameterType.BOOLEAN, "false",
                    "run each dump as sudo -n /usr/sbin/iptables-save -c (and the other three): only with the one "
                            + "sudoers rule opsdoc grants prints; otherwise run as a user with CAP_NET_ADMIN"),
            new ParameterSpec("netns", ParameterType.STRING, "",
                    "local: only: read the rules of this named network namespace (ip netns exec NAME), e.g. a "
                            + "container's or a test's; empty: the namespace opsdoc runs in"));

    public IptablesRules() {
        super(ID, "Does this Linux host's packet filter drop traffic, block forwarding or mix back ends?",
                IptablesFacts.class, PARAMETERS, HostTransportCode.with(IptablesCode.class), grantSets());
    }

    private static List<GrantSet> grantSets() {
        return HostGrants.firewallGrants(ID, HostCommands.FIREWALL_DUMPS, "opsdoc-iptables", "iptables-save -c, "
                + "ip6tables-save -c, iptables-legacy-save -c, iptables-nft-save -c (read-only; the first two twice "
                + "over the window)");
    }

    @Override
    public IptablesFacts collect(CheckContext context) throws Exception {
        Duration window = context.parameters().duration("window");
        boolean sudo = context.parameters().bool("sudo");
        String netns = context.parameters().string("netns").strip();
        return HostSession.with(context, host -> {
            String v4Before = host.firewallDump("iptables-save", sudo, netns);
            if (v4Before == null) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "iptables-save is not installed on this host "
                        + "(Debian/Ubuntu package iptables, RHEL iptables-nft)");
            }
            String v6Before = host.firewallDump("ip6tables-save", sudo, netns);
            long sleep = SamplingWindow.fit(window, context.remaining()).toMillis();
            if (sleep <= 0) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
            }
            long t0 = System.nanoTime();
            Thread.sleep(sleep);
            String v4After = host.firewallDump("iptables-save", sudo, netns);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String v6After = v6Before == null ? null : host.firewallDump("ip6tables-save", sudo, netns);
            String legacy = host.firewallDump("iptables-legacy-save", sudo, netns);
            String nft = host.firewallDump("iptables-nft-save", sudo, netns);
            return new IptablesFacts(v4Before, v4After, v6Before, v6After, legacy, nft, seconds);
        });
    }

    @Override
    public void evaluate(IptablesFacts facts, Parameters p, Evaluation.Builder out) {
        IptablesDump v4 = IptablesDump.parse(facts.ipv4After());
        IptablesDump v6 = IptablesDump.parse(facts.ipv6After());
        long rules = v4.rules().size() + v6.rules().size();
        out.metric(new Metric("iptables_rules", rules, "", Map.of(), null, null));
        drops("ipv4", IptablesDump.parse(facts.ipv4Before()), v4, p.integer("drop-packets"), facts, out);
        drops("ipv6", IptablesDump.parse(facts.ipv6Before()), v6, p.integer("drop-packets"), facts, out);

        IptablesDump.Chain forward = v4.chain("filter", "FORWARD");
        if (forward != null && forward.policy().equals("DROP")) {
            long forwardRules = v4.rulesIn("filter", "FORWARD");
            out.finding(FORWARD_POLICY_DROP, forwardRules == 0 ? Severity.WARNING : Severity.INFO, forwardRules == 0
                    ? "the FORWARD chain's policy is DROP and it has no rule: every routed packet is discarded "
                            + "(containers and pods reach nothing beyond this host; Docker and kube-proxy add their "
                            + "ACCEPT rules at start)"
                    : "the FORWARD chain's policy is DROP with " + forwardRules + " rule(s): only what they accept is "
                            + "routed; a new bridge, CNI or port-forward needs its own ACCEPT rule",
                    Evidence.of("policy", "DROP", "forward_rules", forwardRules, "policy_packets", forward.packets()));
        }

        long max = p.integer("max-rules");
        out.metric(new Metric("iptables_max_rules", max, "", Map.of(), null, null));
        if (rules > max) {
            out.finding(RULESET_LARGE, Severity.WARNING, String.format(Locale.ROOT, "%d rules loaded (IPv4 %d, IPv6 "
                    + "%d), above %d: iptables matches each packet rule by rule, and every change rewrites the whole "
                    + "table (kube-proxy in iptables mode grows with Services; consider ipset, ipvs or nftables sets)",
                    rules, v4.rules().size(), v6.rules().size(), max),
                    Evidence.of("rules", rules, "ipv4_rules", v4.rules().size(), "ipv6_rules", v6.rules().size(),
                            "max_rules", max, "largest_chain", largestChain(v4, v6)));
        }

        IptablesDump legacy = IptablesDump.parse(facts.legacy());
        IptablesDump nft = IptablesDump.parse(facts.nft());
        if (legacy.holdsRules() && nft.holdsRules()) {
            out.finding(MIXED_LEGACY_NFT, Severity.WARNING, String.format(Locale.ROOT, "rules in both back ends: "
                    + "%d in legacy x_tables (iptables-legacy-save) and %d in nf_tables (iptables-nft-save); the "
                    + "kernel applies both, but each tool shows only its own, so no single listing explains a drop. "
                    + "Pick one back end (update-alternatives --config iptables) and move the other's rules",
                    legacy.rules().size(), nft.rules().size()),
                    Evidence.of("legacy_rules", legacy.rules().size(), "nft_rules", nft.rules().size(),
                            "nft_warning", String.join("; ", nft.warnings())));
        }

        IptablesDump.Chain input = v4.chain("filter", "INPUT");
        long inputRules = v4.rulesIn("filter", "INPUT");
        if ((input == null || input.policy().equals("ACCEPT")) && inputRules == 0) {
            out.finding(NO_INPUT_FILTERING, Severity.INFO, "nothing filters incoming IPv4 traffic: "
                    + (input == null ? "no filter table is loaded" : "INPUT's policy is ACCEPT and it has no rule")
                    + "; every listening port is reachable from every network this host is on, unless a firewall "
                    + "in front of it filters",
                    Evidence.of("policy", input == null ? "none" : input.policy(), "input_rules", inputRules));
        }
    }

    /** Every DROP/REJECT rule, and every chain whose DROP policy, discarded at least {@code min} packets meanwhile. */
    private static void drops(String family, IptablesDump before, IptablesDump after, long min, IptablesFacts facts,
            Evaluation.Builder out) {
        Map<String, Long> was = new HashMap<>();
        before.rules().forEach(r -> was.put(r.key(), r.packets()));
        long total = 0;
        for (IptablesDump.Rule r : after.rules()) {
            Long b = was.get(r.key());
            if (!r.drops() || b == null) {
                continue; // a rule added during the window has no first sample to compare with
            }
            long d = Math.max(0, r.packets() - b); // counters restart when the rule set is reloaded
            total += d;
            if (d >= min) {
                String source = r.source().isEmpty() ? "any source" : r.source();
                out.finding(DROPS_INCREASING, Severity.WARNING, String.format(Locale.ROOT, "%s %s: '%s' discarded %d "
                        + "packet(s) from %s in %.1f s (reported from %d): if this traffic is wanted, the rule "
                        + "blocks it; iptables -vnL %s shows the counters", family, r.table(), r.spec(), d, source,
                        facts.windowSeconds(), min, r.chain()),
                        Evidence.of("family", family, "table", r.table(), "chain", r.chain(), "rule", r.spec(),
                                "target", r.target(), "source", source, "packets_in_window", d,
                                "window_ms", Math.round(facts.windowSeconds() * 1000)));
            }
        }
        for (Map<String, IptablesDump.Chain> chains : after.tables().values()) {
            for (IptablesDump.Chain c : chains.values()) {
                IptablesDump.Chain b = before.chain(c.table(), c.name());
                if (!c.policy().equals("DROP") || b == null) {
                    continue;
                }
                long d = Math.max(0, c.packets() - b.packets());
                total += d;
                if (d >= min) {
                    out.finding(DROPS_INCREASING, Severity.WARNING, String.format(Locale.ROOT, "%s %s: the %s chain's "
                            + "DROP policy discarded %d packet(s) in %.1f s (reported from %d): no rule accepted them",
                            family, c.table(), c.name(), d, facts.windowSeconds(), min),
                            Evidence.of("family", family, "table", c.table(), "chain", c.name(), "rule",
                                    "policy DROP", "target", "DROP", "source", "any source", "packets_in_window", d,
                                    "window_ms", Math.round(facts.windowSeconds() * 1000)));
                }
            }
        }
        out.metric(new Metric("iptables_dropped_packets_in_window", total, "", Map.of("family", family), null, null));
    }

    private static String largestChain(IptablesDump v4, IptablesDump v6) {
        Map<String, Long> per = new HashMap<>();
        v4.rules().forEach(r -> per.merge("ipv4 " + r.table() + " " + r.chain(), 1L, Long::sum));
        v6.rules().forEach(r -> per.merge("ipv6 " + r.table() + " " + r.chain(), 1L, Long::sum));
        return per.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> e.getKey() + " (" + e.getValue() + " rules)").orElse("");
    }
}
