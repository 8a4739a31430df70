package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.KeepaliveCode.KEEPALIVE_DEFAULT_2H;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;

/**
 * How soon does this host's TCP notice a dead peer on an idle connection? With keepalive on (SO_KEEPALIVE, e.g.
 * nginx {@code so_keepalive=on}), the kernel probes after {@code tcp_keepalive_time} idle seconds, then every
 * {@code _intvl} seconds, {@code _probes} times. The default 7200 s is longer than most firewall, NAT and load
 * balancer idle timeouts, which silently drop the connection first.
 */
public final class TcpKeepaliveConfig extends HostCheck<KeepaliveFacts> {
    public static final String ID = "tcp-keepalive-config";

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("time-warning",
            ParameterType.DURATION, "600s", "tcp_keepalive_time at or above which to warn: set it below the shortest "
                    + "idle timeout of the firewalls, NAT gateways and load balancers on the path (often 350 s to 15 m)"));

    public TcpKeepaliveConfig() {
        super(ID, "Does TCP keepalive on this Linux host probe idle connections soon enough?", KeepaliveFacts.class,
                PARAMETERS, HostTransportCode.with(KeepaliveCode.class), HostGrants.grants(ID,
                        "cat of /proc/sys/net/ipv4/tcp_keepalive_time, tcp_keepalive_intvl and tcp_keepalive_probes"));
    }

    @Override
    public KeepaliveFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> new KeepaliveFacts(
                Long.parseLong(host.read("/proc/sys/net/ipv4/tcp_keepalive_time").trim()),
                Long.parseLong(host.read("/proc/sys/net/ipv4/tcp_keepalive_intvl").trim()),
                Long.parseLong(host.read("/proc/sys/net/ipv4/tcp_keepalive_probes").trim())));
    }

    @Override
    public void evaluate(KeepaliveFacts facts, Parameters p, Evaluation.Builder out) {
        long detect = facts.time() + facts.intvl() * facts.probes();
        long warning = p.duration("time-warning").toSeconds();
        out.metric(new Metric("tcp_keepalive_time_seconds", facts.time(), "s", Map.of(), (double) warning, null));
        out.metric(Metric.of("tcp_keepalive_dead_peer_seconds", detect, "s"));
        if (facts.time() >= warning) {
            out.finding(KEEPALIVE_DEFAULT_2H, Severity.WARNING, String.format("tcp_keepalive_time is %d s (warning at "
                    + "%d s): an idle connection to a dead peer is noticed only after %d s (%d + %d x %d), and a "
                    + "firewall or NAT idle timeout shorter than %d s drops it silently first; lower "
                    + "net.ipv4.tcp_keepalive_time, or have the application send heartbeats", facts.time(), warning,
                    detect, facts.time(), facts.intvl(), facts.probes(), facts.time()),
                    Evidence.of("tcp_keepalive_time", facts.time(), "tcp_keepalive_intvl", facts.intvl(),
                            "tcp_keepalive_probes", facts.probes(), "dead_peer_seconds", detect,
                            "time_warning_seconds", warning));
        }
    }
}
