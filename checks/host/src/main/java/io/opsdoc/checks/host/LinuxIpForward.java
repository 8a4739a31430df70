package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.IpForwardCode.IP_FORWARD_DISABLED;
import static io.opsdoc.checks.host.IpForwardCode.IP_FORWARD_ENABLED;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import java.util.List;

/**
 * Does this host forward IPv4 packets as it is expected to? Container hosts (Docker's bridge network, Kubernetes
 * nodes) and LVS-NAT directors must; a plain server usually must not. The expectation is a parameter because only
 * the operator knows the host's role.
 */
public final class LinuxIpForward extends HostCheck<IpForwardFacts> {
    public static final String ID = "linux-ip-forward";
    static final String NOTE = "linux/ip-forward-keepalive";

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("expected", ParameterType.BOOLEAN,
            "true", "whether this host should forward IPv4 (true: a container host, Kubernetes node, router or "
                    + "LVS-NAT director; false: a host that must not route)"));

    public LinuxIpForward() {
        super(ID, "Does this Linux host forward IPv4 packets as its role needs?", IpForwardFacts.class, PARAMETERS,
                HostTransportCode.with(IpForwardCode.class), HostGrants.grants(ID,
                        "cat of /proc/sys/net/ipv4/ip_forward and /proc/sys/net/ipv6/conf/all/forwarding"));
    }

    @Override
    public IpForwardFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> {
            String v4 = host.read("/proc/sys/net/ipv4/ip_forward").trim();
            String v6;
            try {
                v6 = host.read("/proc/sys/net/ipv6/conf/all/forwarding").trim();
            } catch (ProbeException e) {
                v6 = null; // IPv6 disabled
            }
            return new IpForwardFacts(v4, v6);
        });
    }

    @Override
    public void evaluate(IpForwardFacts facts, Parameters p, Evaluation.Builder out) {
        boolean on = facts.ipv4().equals("1");
        boolean expected = p.bool("expected");
        out.metric(Metric.of("ip_forward", on ? 1 : 0, ""));
        Evidence evidence = Evidence.of("net.ipv4.ip_forward", facts.ipv4(), "expected", expected)
                .putIfPresent("net.ipv6.conf.all.forwarding", facts.ipv6());
        if (expected && !on) {
            out.finding(IP_FORWARD_DISABLED, Severity.CRITICAL, "net.ipv4.ip_forward is 0: this host does not route "
                    + "packets between interfaces, so containers on a bridge network, pods and LVS-NAT real servers "
                    + "behind it get no traffic out; set it to 1 (sysctl -w, and in /etc/sysctl.d to keep it)",
                    evidence);
        } else if (!expected && on) {
            out.finding(IP_FORWARD_ENABLED, Severity.WARNING, "net.ipv4.ip_forward is 1 on a host expected not to "
                    + "route: it forwards packets between its networks if a route allows, which can bypass a "
                    + "segmentation the firewall assumes; set it to 0 unless something here needs it", evidence);
        }
    }
}
