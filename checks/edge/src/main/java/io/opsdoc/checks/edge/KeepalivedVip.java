package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.KeepalivedCode.PEER_UNREADABLE;
import static io.opsdoc.checks.edge.KeepalivedCode.VIP_ABSENT;
import static io.opsdoc.checks.edge.KeepalivedCode.VIP_ON_MULTIPLE_NODES;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.FailureClassifier;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Is the keepalived virtual IP on exactly one of its peers? The target names every peer of the VRRP instance in one
 * ssh:// URI ({@code ssh://opsdoc@lb1,lb2?identity=...}), the same user, key and known_hosts for all; each peer's
 * addresses are read with {@code ip -o addr show} over the host transport, in parallel. A VIP on two peers is split
 * brain (VRRP adverts not heard: a firewall dropping IP protocol 112, a partitioned link); on none, the service
 * address is dead. Each peer's /proc tells whether keepalived runs there (a pair with one keepalived has no standby).
 * keepalived exposes its VRRP state only through a signal, SNMP or DBus, none of them open to an ordinary user, so
 * the state is read, when {@code state-file} names it, from the file a notify script writes on every transition: one
 * fixed {@code cat} of a path under /run/keepalived or /var/lib/keepalived, and only a state word is ever reported.
 */
public final class KeepalivedVip extends DescribedCheck<KeepalivedFacts> {
    public static final String ID = "keepalived-vip";
    static final String NOTE = "web/keepalived";
    private static final int MAX_PARALLEL = 4;

    private static final List<ParameterSpec> PARAMETERS = List.of(new ParameterSpec("vip", ParameterType.STRING, "",
            "the virtual IP address(es) keepalived moves between the peers, comma-separated (virtual_ipaddress; a "
                    + "prefix such as /24 is ignored). Empty: no VIP is named, so only split brain is judged: any "
                    + "global address (not on lo) held by more than one peer"),
            new ParameterSpec("state-file", ParameterType.STRING, "",
                    "the file each peer's keepalived notify script writes the instance's state to (MASTER, BACKUP, "
                            + "FAULT, STOP), e.g. /run/keepalived/VI_1.state; only paths under /run/keepalived, "
                            + "/var/run/keepalived or /var/lib/keepalived are read, never keepalived.conf. Empty: the "
                            + "VRRP state is not read"),
            new ParameterSpec("expected-master", ParameterType.STRING, "",
                    "the peer (host, or host:port, as the target names it) that should hold the VIP, the one with "
                            + "the highest priority; needs vip. Empty: any single holder is fine (nopreempt pairs)"));

    public KeepalivedVip() {
        super(ID, "ssh", "Is the keepalived virtual IP on exactly one peer (no split brain, not lost)?",
                KeepalivedFacts.class, PARAMETERS, HostAccess.codesWith(KeepalivedCode.class),
                peerGrants());
    }

    /** ssh:// only: the host transport's ordinary user, plus what the state file needs. */
    private static List<GrantSet> peerGrants() {
        GrantSet ssh = HostAccess.grants(ID, "ip -o addr show, cat of every /proc/PID/stat (is keepalived running) "
                + "and, with state-file, cat -- FILE of that one file, on every peer").get(0);
        List<String> statements = new ArrayList<>(ssh.statements());
        statements.add("# with state-file: the notify script writes it world-readable (umask 022), e.g. "
                + "notify /etc/keepalived/notify.sh in vrrp_instance, the script: printf '%s\\n' \"$3\" > "
                + "/run/keepalived/\"$2\".state");
        return List.of(new GrantSet(ssh.flavor(), List.copyOf(statements), ssh.comment() + " The state file may only "
                + "be under /run/keepalived, /var/run/keepalived or /var/lib/keepalived and not a .conf: "
                + "keepalived.conf and keepalived's dumps hold auth_pass, which the monitoring user must not read; "
                + "only a state word from the file is ever reported."));
    }

    @Override
    public void validate(Target target) {
        if (!"ssh".equals(target.scheme())) {
            throw new UsageException("check " + ID + " reads every peer of the VRRP instance: name them all in one "
                    + "ssh:// target, e.g. ssh://opsdoc@lb1,lb2?identity=~/.ssh/opsdoc, not " + target.display());
        }
        for (Target peer : peers(target)) {
            HostAccess.validate(peer);
        }
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        List<String> vips = IpAddresses.vips(parameters.string("vip"));
        VrrpState.stateFile(parameters.string("state-file"));
        String expected = parameters.string("expected-master").strip();
        if (!expected.isEmpty()) {
            if (vips.isEmpty()) {
                throw new UsageException("parameter expected-master needs vip: the preferred master is judged by "
                        + "where the VIP is");
            }
            if (peers(target).stream().map(HostAccess::where).noneMatch(w -> VrrpState.names(w, expected))) {
                throw new UsageException("parameter expected-master: '" + expected + "' is none of the target's peers "
                        + "(" + String.join(", ", peers(target).stream().map(HostAccess::where).toList()) + ")");
            }
        }
    }

    /** One single-host target per peer, with the shared user and options (identity, known-hosts). */
    static List<Target> peers(Target target) {
        List<Target> peers = new ArrayList<>();
        String user = target.user().map(u -> URLEncoder.encode(u, StandardCharsets.UTF_8) + "@").orElse("");
        String query = target.rawQuery().isEmpty() ? "" : "?" + target.rawQuery();
        for (Target.HostPort hp : target.hosts()) {
            peers.add(Target.parse("ssh://" + user + hp + query));
        }
        return peers;
    }

    @Override
    public KeepalivedFacts collect(CheckContext context) throws Exception {
        List<Target> peers = peers(context.target());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, peers.size()), r -> {
            Thread t = new Thread(r, "keepalived-vip-peer");
            t.setDaemon(true);
            return t;
        });
        try {
            String stateFile = VrrpState.stateFile(context.parameters().string("state-file"));
            List<Future<KeepalivedFacts.Peer>> reads = new ArrayList<>();
            for (Target peer : peers) {
                CheckContext one = new CheckContext(peer, context.password(), context.parameters(), context.deadline(),
                        context.clients());
                reads.add(pool.submit(() -> HostAccess.with(one, host -> read(host, stateFile))));
            }
            List<KeepalivedFacts.Peer> facts = new ArrayList<>();
            Exception first = null;
            for (int i = 0; i < peers.size(); i++) {
                String where = HostAccess.where(peers.get(i));
                try {
                    // the session honours the deadline itself; the extra second only lets it report why
                    KeepalivedFacts.Peer read = reads.get(i).get(context.remaining().toMillis() + 1000,
                            TimeUnit.MILLISECONDS);
                    facts.add(new KeepalivedFacts.Peer(where, read.addresses(), null, null, read.keepalived(),
                            read.state(), read.stateError()));
                } catch (ExecutionException | TimeoutException e) {
                    Exception cause = e instanceof ExecutionException && e.getCause() instanceof Exception c ? c : e;
                    if (cause instanceof TimeoutException) {
                        cause = new ProbeException(ProbeErrors.TIMEOUT, where + " did not answer before the deadline");
                    }
                    first = first == null ? cause : first;
                    FailureClassifier.Failure f = cause instanceof ProbeException pe
                            ? new FailureClassifier.Failure(pe.code(), pe.getMessage())
                            : FailureClassifier.classify(cause, peers.get(i));
                    facts.add(new KeepalivedFacts.Peer(where, null, f.code().code(), f.reason()));
                }
            }
            if (facts.stream().noneMatch(KeepalivedFacts.Peer::readable)) {
                throw first; // no peer answered: the run is UNKNOWN with the first peer's probe error
            }
            return new KeepalivedFacts(facts);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One peer's addresses, keepalived processes and (with a state file) state, in one session. */
    private static KeepalivedFacts.Peer read(HostAccess.Host host, String stateFile) throws Exception {
        String out = host.addresses();
        if (out == null) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "this transport cannot list the addresses");
        }
        Integer keepalived = VrrpState.keepalivedProcesses(host.processStats());
        String state = null;
        String stateError = null;
        if (!stateFile.isEmpty()) {
            try {
                String content = host.stream(stateFile, in -> new String(in.readNBytes(VrrpState.MAX_BYTES),
                        StandardCharsets.UTF_8));
                state = VrrpState.parse(content);
                if (state == null) {
                    // never the content: a wrong path could name a file with secrets
                    stateError = stateFile + " holds no VRRP state word (" + String.join(", ", VrrpState.STATES) + ")";
                }
            } catch (ProbeException e) {
                if (e.code() == ProbeErrors.TIMEOUT) {
                    throw e;
                }
                stateError = e.getMessage();
            }
        }
        return new KeepalivedFacts.Peer("", IpAddresses.parse(out), null, null, keepalived, state, stateError);
    }

    @Override
    public void evaluate(KeepalivedFacts facts, Parameters p, Evaluation.Builder out) {
        List<String> vips = IpAddresses.vips(p.string("vip"));
        List<KeepalivedFacts.Peer> readable = facts.peers().stream().filter(KeepalivedFacts.Peer::readable).toList();
        List<KeepalivedFacts.Peer> unreadable = facts.peers().stream().filter(x -> !x.readable()).toList();
        out.metric(Metric.of("keepalived_peers_read", readable.size(), ""));
        for (KeepalivedFacts.Peer peer : unreadable) {
            out.finding(PEER_UNREADABLE, Severity.WARNING, "peer " + peer.peer() + " could not be read (" + peer.error()
                    + "): whether it also holds the VIP is unknown; if the host is down, the other peers' answer "
                    + "below is the whole truth", Evidence.of("peer", peer.peer(), "error_code", peer.errorCode(),
                            "error", peer.error()), peer.peer());
        }
        // address -> the peers (and devices) holding it
        Map<String, List<String>> holders = new LinkedHashMap<>();
        for (KeepalivedFacts.Peer peer : readable) {
            for (HostAddress a : peer.addresses()) {
                boolean named = vips.contains(a.address());
                boolean candidate = vips.isEmpty() && !a.device().equals("lo") && a.scope().equals("global");
                if (named || candidate) {
                    holders.computeIfAbsent(a.address(), k -> new ArrayList<>()).add(peer.peer() + " (" + a.device()
                            + " " + a.cidr() + ")");
                }
            }
        }
        for (String vip : vips) {
            List<String> on = holders.getOrDefault(vip, List.of());
            out.metric(new Metric("keepalived_vip_holders", on.size(), "", Map.of("vip", vip), null, null));
            if (on.isEmpty() && !unreadable.isEmpty()) {
                continue; // it may be on a peer not read: PEER_UNREADABLE says so, VIP_ABSENT would be a guess
            }
            if (on.isEmpty()) {
                out.finding(VIP_ABSENT, Severity.CRITICAL, "VIP " + vip + " is on none of the " + readable.size()
                        + " peer(s)"
                        + ": nothing answers on it; is keepalived running on any peer, and is any of them in FAULT "
                        + "(a tracked interface or script down)?", Evidence.of("vip", vip, "peers",
                                readable.stream().map(KeepalivedFacts.Peer::peer).toList(), "addresses",
                                addressesOf(readable)), vip);
            } else if (on.size() > 1) {
                splitBrain(vip, on, out);
            }
        }
        if (vips.isEmpty()) {
            holders.forEach((address, on) -> {
                if (on.size() > 1) {
                    splitBrain(address, on, out);
                }
            });
        }
        VrrpState.evaluate(readable, vips, p.string("state-file").strip(), p.string("expected-master").strip(), out);
    }

    private static void splitBrain(String vip, List<String> on, Evaluation.Builder out) {
        out.finding(VIP_ON_MULTIPLE_NODES, Severity.CRITICAL, "split brain: VIP " + vip + " is on " + on.size()
                + " peers at once (" + String.join(", ", on) + "): each believes it is MASTER because it does not "
                + "hear the other's VRRP adverts (IP protocol 112 dropped by a firewall, a partitioned link, "
                + "different virtual_router_id or auth); clients reach whichever peer answered ARP last",
                Evidence.of("vip", vip, "holders", on), vip);
    }

    private static Map<String, List<String>> addressesOf(List<KeepalivedFacts.Peer> peers) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (KeepalivedFacts.Peer peer : peers) {
            all.put(peer.peer(), peer.addresses().stream().filter(a -> !a.device().equals("lo"))
                    .map(a -> a.device() + " " + a.cidr()).toList());
        }
        return all;
    }
}
