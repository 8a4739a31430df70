package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.BgpCode.BGP_NO_PEERS;
import static io.opsdoc.checks.kubernetes.BgpCode.BGP_PEER_DOWN;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Are this node's Calico BGP sessions up? What {@code calicoctl node status} shows, read the same way: BIRD's
 * protocol table from its control socket ({@code birdc -r -s /var/run/calico/bird.ctl show protocols}; {@code -r} is
 * BIRD's restricted mode, in which the daemon refuses everything but {@code show}). A session that is not Established
 * means this node no longer exchanges pod routes with that peer: pods behind it become unreachable from here once the
 * routes it learned are withdrawn. It runs on the node ({@code local:}) or over {@code ssh://}, not against the API
 * server as {@code k8s-cni} does, because BGP state lives only in each node's BIRD.
 */
public final class CalicoBgp extends DescribedCheck<BgpFacts> {
    public static final String ID = "k8s-calico-bgp";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("bird-socket", ParameterType.STRING, "/var/run/calico/bird.ctl",
                    "BIRD's control socket: Calico's IPv4 BIRD (its IPv6 BIRD listens on /var/run/calico/bird6.ctl: "
                            + "run the check again with that); Debian's bird2 uses /run/bird/bird.ctl"),
            new ParameterSpec("client", ParameterType.STRING, "birdc",
                    "the BIRD client to run, always with -r (restricted: show commands only): birdc, birdcl (the "
                            + "only one in Calico's calico-node image) or an absolute path ending in one"));

    private static final List<GrantSet> GRANTS = HostAccess.commandGrants(ID, "CLIENT -r -s SOCKET show protocols "
            + "(client= and bird-socket=; over ssh:// with PATH=/usr/sbin:/sbin:/usr/bin:/bin)", List.of(
            "# connecting to BIRD's control socket needs write permission on the socket file (read-only use is",
            "# enforced by birdc -r, not by the file mode). Debian's bird2 makes /run/bird/bird.ctl bird:bird 0660:",
            "usermod -a -G bird opsdoc",
            "# Calico's calico-node creates /var/run/calico/bird.ctl as root, owned by root: run opsdoc as root on",
            "# the node, or give the socket a group once BIRD has started (lost when calico-node restarts):",
            "# chgrp opsdoc /var/run/calico/bird.ctl",
            "# and install a BIRD client on the node (Debian: apt-get install bird2 --no-install-recommends, then",
            "# systemctl disable --now bird; only birdc is used) or point client= at Calico's birdcl"),
            "Nothing is changed: in restricted mode (-r) BIRD refuses any command but show; the user needs no "
                    + "Kubernetes credentials and no sudo.");

    public CalicoBgp() {
        super(ID, "local", "Are this Kubernetes node's Calico BGP sessions (BIRD, calicoctl node status) Established?",
                BgpFacts.class, PARAMETERS, HostAccess.codesWith(BgpCode.class), GRANTS);
    }

    @Override
    public List<String> targetSchemes() {
        return HostAccess.SCHEMES;
    }

    @Override
    public void validate(Target target) {
        if (!HostAccess.SCHEMES.contains(target.scheme())) {
            throw new UsageException(ID + " asks the BIRD of one Kubernetes node: use the target local: (on the node) "
                    + "or ssh://user@node, not " + target.display());
        }
        HostAccess.validate(target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        try {
            if (!p.string("client").matches("(/[A-Za-z0-9_.+-]+)*/?birdc(l|2)?") || p.string("client").contains("..")) {
                throw new UsageException("client must be birdc, birdcl or an absolute path ending in one, not "
                        + p.string("client"));
            }
            String socket = p.string("bird-socket");
            if (!socket.startsWith("/") || !java.nio.file.Path.of(socket).normalize().toString().equals(socket)) {
                throw new UsageException("bird-socket must be an absolute, normal path, not " + socket);
            }
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("bird-socket is not a path: " + e.getMessage());
        }
    }

    @Override
    public BgpFacts collect(CheckContext context) throws Exception {
        String socket = context.parameters().string("bird-socket");
        String client = context.parameters().string("client");
        String out = HostAccess.with(context, host -> host.birdProtocols(client, socket));
        if (BirdProtocols.parse(out) == null) {
            String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("nothing").strip();
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, client + " show protocols printed no protocol table "
                    + "(first line: " + (first.length() > 120 ? first.substring(0, 120) + "..." : first) + ")");
        }
        return new BgpFacts(Instant.now(), socket, out);
    }

    @Override
    public void evaluate(BgpFacts facts, Parameters p, Evaluation.Builder out) {
        BirdProtocols table = BirdProtocols.parse(facts.showProtocols());
        List<BirdProtocols.Protocol> bgp = table == null ? List.of() : table.bgp();
        long up = bgp.stream().filter(BirdProtocols.Protocol::established).count();
        out.metric(Metric.of("bgp_sessions", bgp.size(), ""));
        out.metric(Metric.of("bgp_sessions_established", up, ""));
        String version = table == null || table.version().isEmpty() ? "BIRD" : "BIRD " + table.version();
        if (bgp.isEmpty()) {
            out.finding(BGP_NO_PEERS, Severity.INFO, version + " on " + facts.socket() + " answers but runs no BGP "
                    + "protocol, so this node neither learns nor announces pod routes over BGP. That is expected on a "
                    + "single-node cluster, or when Calico uses VXLAN without BGP (calico_backend: vxlan); with the bird "
                    + "backend and more than one node, the node-to-node mesh is off (BGPConfiguration "
                    + "nodeToNodeMeshEnabled: false) and no BGPPeer selects this node",
                    Evidence.of("socket", facts.socket(), "bird_version", table == null ? "" : table.version(),
                            "protocols", table == null ? 0 : table.protocols().size(), "bgp_sessions", 0));
            return;
        }
        List<BirdProtocols.Protocol> down = bgp.stream().filter(s -> !s.established()).toList();
        boolean noneUp = up == 0;
        for (BirdProtocols.Protocol s : down) {
            String[] peer = BirdProtocols.calicoPeer(s.name());
            String who = s.name() + (peer[0].isEmpty() ? "" : " (" + peer[1] + " peer " + peer[0] + ")");
            String state = s.bgpState().isEmpty() ? s.state() : s.bgpState();
            out.finding(BGP_PEER_DOWN, noneUp ? Severity.CRITICAL : Severity.WARNING, "BGP session " + who + " is "
                    + state + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")") + ", not Established, since "
                    + s.since() + "; " + (noneUp ? "no BGP session of this node is up (" + bgp.size() + " configured): "
                    + "it has no pod routes to the other nodes and they none to it, so cross-node pod traffic from and "
                    + "to this node fails (unless Calico encapsulates with IP-in-IP/VXLAN, which still needs the routes)"
                    : up + " of " + bgp.size() + " sessions are Established: routes through this peer are withdrawn")
                    + ". " + advice(state),
                    Evidence.of("protocol", s.name(), "peer", peer[0], "peer_kind", peer[1], "state", s.state(),
                            "bgp_state", state, "info", s.info(), "since", s.since(), "established", up,
                            "sessions", bgp.size(), "bird_version", table.version()),
                    s.name());
        }
        out.metric(new Metric("bgp_sessions_down", down.size(), "", Map.of(), null, (double) bgp.size()));
    }

    /** What the session state says to look at first. */
    private static String advice(String state) {
        return switch (state) {
            case "Active", "Connect" -> "BIRD retries the TCP connection to port 179: the peer's BIRD is not "
                    + "running (calico-node down there, or the node gone), or port 179 is blocked between the nodes "
                    + "(firewall, security group); run calicoctl node status on both ends";
            case "OpenSent", "OpenConfirm" -> "TCP connects but the BGP OPEN is not accepted: AS numbers or router "
                    + "IDs differ from what the peer expects (BGPConfiguration asNumber, node annotations), or "
                    + "two nodes share one router ID";
            case "Idle" -> "BIRD is not trying yet: it waits after an error, or the peer address is unreachable "
                    + "(no route); read the info column and BIRD's log (kubectl logs calico-node -c calico-node)";
            default -> "read BIRD's view with birdc -r -s SOCKET show protocols all "
                    + "NAME and the calico-node log";
        };
    }
}
