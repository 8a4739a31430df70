package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.LvsRealServerCode.ARP_NOT_SUPPRESSED;
import static io.opsdoc.checks.edge.LvsRealServerCode.VIP_NOT_ON_LOOPBACK;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Is this host ready to be an LVS real server in DR (or TUN) mode? The director sends it packets still addressed to
 * the VIP, so it must own the VIP — on lo (tunl0 for TUN), where it answers no ARP — and must neither answer ARP for
 * the VIP on its real interfaces (arp_ignore=1) nor use the VIP as the source of its own ARP requests
 * (arp_announce=2). Otherwise it takes the director's traffic, or drops what the director forwards. Runs on the real
 * server over {@code local:} or {@code ssh://}.
 */
public final class LvsRealServer extends DescribedCheck<LvsRealServerFacts> {
    public static final String ID = "lvs-realserver-prereqs";
    static final String NOTE = "web/lvs";
    /** Interface names as /proc/sys/net/ipv4/conf spells them; anything else is not read. */
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]+");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("vip", ParameterType.STRING, "", "the virtual IP address(es) of the LVS services this "
                    + "host serves, comma-separated. Empty: every address on lo outside 127.0.0.0/8 and ::1 is taken "
                    + "as a VIP, and none at all is a finding"),
            new ParameterSpec("mode", ParameterType.STRING, "dr", "the LVS forwarding method towards this host: dr "
                    + "(VIP on lo) or tun (VIP on lo or tunl0; IPIP decapsulation)"));

    public LvsRealServer() {
        super(ID, "local", "Is this host set up as an LVS DR/TUN real server (VIP on lo, ARP for it suppressed)?",
                LvsRealServerFacts.class, PARAMETERS, HostAccess.codesWith(LvsRealServerCode.class),
                HostAccess.grants(ID, "ip -o addr show; cat of /proc/sys/net/ipv4/conf/{all,IFACE}/arp_ignore and "
                        + "arp_announce"));
    }

    @Override
    public List<String> targetSchemes() {
        return HostAccess.SCHEMES;
    }

    @Override
    public void validate(Target target) {
        HostAccess.validate(target);
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        IpAddresses.vips(parameters.string("vip"));
        String mode = parameters.string("mode");
        if (!mode.equals("dr") && !mode.equals("tun")) {
            throw new UsageException("parameter mode: '" + mode + "' is not dr or tun (a NAT real server needs none of "
                    + "this: its default route through the director is what matters)");
        }
    }

    @Override
    public LvsRealServerFacts collect(CheckContext context) throws Exception {
        return HostAccess.with(context, host -> {
            String out = host.addresses();
            if (out == null) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "local:?proc= cannot list the host's addresses "
                        + "(ip asks the kernel of the namespace opsdoc runs in): run it on the host or over ssh://");
            }
            List<HostAddress> addresses = IpAddresses.parse(out);
            Set<String> devices = new LinkedHashSet<>();
            devices.add("all");
            addresses.stream().filter(a -> a.family().equals("inet") && DEVICE.matcher(a.device()).matches())
                    .forEach(a -> devices.add(a.device()));
            Map<String, Integer> ignore = new LinkedHashMap<>();
            Map<String, Integer> announce = new LinkedHashMap<>();
            for (String d : devices) {
                ignore.put(d, sysctl(host, d, "arp_ignore"));
                announce.put(d, sysctl(host, d, "arp_announce"));
            }
            return new LvsRealServerFacts(HostAccess.where(context.target()), addresses, ignore, announce);
        });
    }

    private static int sysctl(HostAccess.Host host, String device, String name) throws Exception {
        String path = "/proc/sys/net/ipv4/conf/" + device + "/" + name;
        String v = host.read(path).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, path + " holds '" + v + "', not a number");
        }
    }

    @Override
    public void evaluate(LvsRealServerFacts facts, Parameters p, Evaluation.Builder out) {
        boolean tun = p.string("mode").equals("tun");
        List<String> vips = IpAddresses.vips(p.string("vip"));
        if (vips.isEmpty()) {
            vips = facts.addresses().stream().filter(a -> a.device().equals("lo") && !isLoopback(a))
                    .map(HostAddress::address).distinct().toList();
        }
        out.metric(Metric.of("lvs_realserver_vips", vips.size(), ""));
        if (vips.isEmpty()) {
            out.finding(VIP_NOT_ON_LOOPBACK, Severity.CRITICAL, "no VIP on lo: this host has no address on lo but the "
                    + "loopback ones, so packets an LVS director forwards to it in DR/TUN mode (still addressed to the "
                    + "VIP) are dropped; add the VIP as a /32 on lo, or name it with --set vip=", Evidence.of("lo",
                            addressesOn(facts, "lo"), "mode", p.string("mode")), "lo");
        }
        for (String vip : vips) {
            List<HostAddress> held = facts.addresses().stream().filter(a -> a.address().equals(vip)).toList();
            boolean onLoopback = held.stream().anyMatch(a -> a.device().equals("lo")
                    || (tun && a.device().equals("tunl0")));
            List<String> elsewhere = held.stream().filter(a -> !a.device().equals("lo") && !a.device().equals("tunl0"))
                    .map(a -> a.device() + " " + a.cidr()).toList();
            if (!onLoopback || !elsewhere.isEmpty()) {
                String why = elsewhere.isEmpty()
                        ? "this host does not own it, so packets the director forwards to it for " + vip + " are dropped"
                        : "it is on " + String.join(", ", elsewhere) + ": a real interface, so this host answers ARP "
                                + "for the VIP and can pull the clients' traffic away from the director";
                out.finding(VIP_NOT_ON_LOOPBACK, Severity.CRITICAL, "VIP " + vip + " is not (only) on lo"
                        + (tun ? " or tunl0" : "") + ": " + why + "; put it on lo as " + vip + "/32",
                        Evidence.of("vip", vip, "held_on", held.stream().map(a -> a.device() + " " + a.cidr()).toList(),
                                "mode", p.string("mode")), vip);
            }
        }
        if (vips.stream().anyMatch(v -> !v.contains(":"))) {
            arp(facts, vips, out);
        }
    }

    /** arp_ignore and arp_announce of every interface with an IPv4 address: the kernel uses max(all, interface). */
    private static void arp(LvsRealServerFacts facts, List<String> vips, Evaluation.Builder out) {
        int allIgnore = facts.arpIgnore().getOrDefault("all", 0);
        int allAnnounce = facts.arpAnnounce().getOrDefault("all", 0);
        List<String> bad = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String device : facts.arpIgnore().keySet()) {
            if (device.equals("all") || device.equals("lo") || device.equals("tunl0")) {
                continue;
            }
            int ignore = Math.max(allIgnore, facts.arpIgnore().get(device));
            int announce = Math.max(allAnnounce, facts.arpAnnounce().getOrDefault(device, 0));
            values.put(device, "arp_ignore " + ignore + ", arp_announce " + announce);
            if (ignore < 1 || announce < 2) {
                bad.add(device + " (arp_ignore " + ignore + (ignore < 1 ? ": answers ARP for the VIP on lo" : "")
                        + ", arp_announce " + announce + (announce < 2 ? ": may send the VIP as its ARP source" : "")
                        + ")");
            }
        }
        if (!bad.isEmpty()) {
            out.finding(ARP_NOT_SUPPRESSED, Severity.CRITICAL, "ARP for the VIP is not suppressed on " + String.join("; ",
                    bad) + ": the router may learn this real server's MAC for " + String.join(", ", vips) + " and send "
                    + "the clients straight to it, past the director; set net.ipv4.conf.all.arp_ignore=1 and "
                    + "net.ipv4.conf.all.arp_announce=2 (the kernel takes the larger of all and the interface's value)",
                    Evidence.of("conf.all.arp_ignore", allIgnore, "conf.all.arp_announce", allAnnounce, "effective",
                            values, "vips", vips), "arp");
        }
    }

    private static boolean isLoopback(HostAddress a) {
        return a.address().startsWith("127.") || a.address().equals("0:0:0:0:0:0:0:1");
    }

    private static List<String> addressesOn(LvsRealServerFacts facts, String device) {
        return facts.addresses().stream().filter(a -> a.device().equals(device)).map(HostAddress::cidr).toList();
    }
}
