package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.LvsCode.ALL_WEIGHTS_ZERO;
import static io.opsdoc.checks.edge.LvsCode.VS_NO_REAL_SERVERS;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.List;
import java.util.Map;

/**
 * Does every LVS virtual service on this director have a real server that takes connections? Reads
 * {@code /proc/net/ip_vs} (world-readable: what {@code ipvsadm -Ln} shows, without its CAP_NET_ADMIN) on the director
 * over {@code local:} or {@code ssh://}.
 */
public final class LvsVirtualServices extends DescribedCheck<LvsFacts> {
    public static final String ID = "lvs-virtual-services";
    static final String IP_VS = "/proc/net/ip_vs";

    public LvsVirtualServices() {
        super(ID, "local", "Does every LVS virtual service on this director have a real server with weight above 0?",
                LvsFacts.class, List.of(), HostAccess.codesWith(LvsCode.class),
                HostAccess.grants(ID, "cat of /proc/net/ip_vs"));
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
    public LvsFacts collect(CheckContext context) throws Exception {
        return HostAccess.with(context, host -> {
            try {
                return new LvsFacts(HostAccess.where(context.target()), host.read(IP_VS));
            } catch (ProbeException e) {
                if (e.code().code().equals(ProbeErrors.PERMISSION_DENIED.code())) {
                    throw e;
                }
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "no " + IP_VS + " on " + HostAccess.where(
                        context.target()) + ": IPVS is not loaded in this kernel (modprobe ip_vs; or this is not an LVS "
                        + "director): " + e.getMessage());
            }
        });
    }

    @Override
    public void evaluate(LvsFacts facts, Parameters p, Evaluation.Builder out) {
        List<IpvsTable.Service> services = IpvsTable.parse(facts.ipVs());
        out.metric(Metric.of("lvs_virtual_services", services.size(), ""));
        for (IpvsTable.Service s : services) {
            out.metric(new Metric("lvs_real_servers", s.servers().size(), "", Map.of("service", s.name()), null, null));
            long active = s.servers().stream().mapToLong(IpvsTable.RealServer::active).sum();
            out.metric(new Metric("lvs_active_connections", active, "", Map.of("service", s.name()), null, null));
            if (s.servers().isEmpty()) {
                out.finding(VS_NO_REAL_SERVERS, Severity.CRITICAL, "virtual service " + s.name() + " has no real "
                        + "server: IPVS takes the connections to " + s.address() + " and has nowhere to send them "
                        + "(keepalived removes a real server whose health check fails: are all of them failing?)",
                        Evidence.of("service", s.name(), "flags", s.flags()), s.name());
            } else if (s.servers().stream().allMatch(r -> r.weight() == 0)) {
                out.finding(ALL_WEIGHTS_ZERO, Severity.CRITICAL, "every real server of " + s.name() + " has weight 0 ("
                        + describe(s) + "): IPVS schedules no new connection to any of them, only existing ones "
                        + "finish", Evidence.of("service", s.name(), "real_servers", describe(s)), s.name());
            }
        }
    }

    private static String describe(IpvsTable.Service s) {
        return String.join(", ", s.servers().stream().map(r -> r.address() + " " + r.forward() + " weight " + r.weight()
                + " active " + r.active() + " inactive " + r.inactive()).toList());
    }
}
