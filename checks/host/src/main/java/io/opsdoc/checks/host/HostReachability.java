package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.ReachabilityCode.HOST_UNREACHABLE;
import static io.opsdoc.checks.host.ReachabilityCode.PACKET_LOSS;

import io.opsdoc.checks.host.ReachabilityFacts.Peer;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Do these hosts answer from here, and how many of the probes get lost? {@code icmp://host[,host...]}: a few echo
 * requests per host, one after another, hosts in parallel; from where opsdoc runs. The JDK sends ICMP echo where
 * the JVM may (root, CAP_NET_RAW, or an unprivileged ICMP socket allowed by net.ipv4.ping_group_range), else it
 * connects to TCP port 7, where a reset counts as an answer too.
 */
public final class HostReachability extends DescribedCheck<ReachabilityFacts> {
    public static final String ID = "host-reachability";
    static final String NOTE = "network/host-reachability";
    static final String SCHEME = "icmp";
    private static final int PARALLEL = 8;
    private static final int MAX_HOSTS = 64;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("count", ParameterType.INTEGER, "5", "echo requests per host, sent one after another"),
            new ParameterSpec("probe-timeout", ParameterType.DURATION, "1s", "how long one echo request waits for "
                    + "its reply before it counts as lost"),
            new ParameterSpec("loss-warning", ParameterType.PERCENT, "20%", "share of lost requests at which to warn "
                    + "(all lost is HOST_UNREACHABLE)"));

    public HostReachability() {
        super(ID, SCHEME, "Do these hosts answer from here, and with how much loss?", ReachabilityFacts.class,
                PARAMETERS, ReachabilityCode.class, List.of(new GrantSet("icmp://", List.of(
                        "# ICMP echo from the JVM: root, or setcap cap_net_raw+ep on the java binary, or "
                                + "sysctl -w net.ipv4.ping_group_range='0 2147483647' (unprivileged ICMP sockets)",
                        "# without any of these the JDK falls back to a TCP connect to port 7 (echo)"),
                        "host-reachability sends echo requests only; allow ICMP echo (type 8) out and echo reply "
                                + "(type 0) back on the path")));
    }

    @Override
    public void validate(Target target) {
        if (!SCHEME.equals(target.scheme()) || target.hosts().isEmpty()) {
            throw new UsageException("host-reachability takes icmp://host[,host...], not " + target.display());
        }
        if (target.hosts().size() > MAX_HOSTS) {
            throw new UsageException("target " + target.display() + ": at most " + MAX_HOSTS + " hosts in one target");
        }
        if (target.hosts().stream().anyMatch(h -> h.port() > 0)) {
            throw new UsageException("target " + target.display() + ": icmp:// takes no port (tcp-port checks one)");
        }
    }

    @Override
    public ReachabilityFacts collect(CheckContext context) throws Exception {
        validate(context.target());
        long timeout = context.parameters().duration("probe-timeout").toMillis();
        int count = (int) Math.max(1, Math.min(100, context.parameters().integer("count")));
        List<Target.HostPort> hosts = context.target().hosts();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, hosts.size()), r -> {
            Thread t = new Thread(r, "host-reachability");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Peer>> futures = new ArrayList<>();
            for (Target.HostPort hp : hosts) {
                futures.add(pool.submit(() -> probe(hp.host(), count, timeout, context)));
            }
            List<Peer> out = new ArrayList<>();
            for (Future<Peer> f : futures) {
                try {
                    out.add(f.get(context.remainingMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "the probes did not finish within the check's "
                            + "deadline (a DNS lookup hangs, or --timeout is below count x probe-timeout)");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
            return new ReachabilityFacts(out, timeout);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Peer probe(String host, int count, long timeout, CheckContext context) throws Exception {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host '" + host + "' (DNS): "
                    + "dns-resolution tells why");
        }
        List<Double> rtts = new ArrayList<>();
        String error = null;
        for (int i = 0; i < count; i++) {
            long left = context.remainingMillis() - 200;
            if (left < timeout) {
                if (rtts.isEmpty()) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "no time left for a probe of " + host + " within "
                            + "the check's deadline: raise --timeout above count x probe-timeout");
                }
                break; // judged on the probes that had their full timeout
            }
            long start = System.nanoTime();
            boolean answered;
            try {
                answered = address.isReachable((int) timeout);
            } catch (IOException e) {
                answered = false;
                error = FailureClassifier.oneLine(e);
                // an error the kernel gives at once (no route) would otherwise spin through the probes
                Thread.sleep(Math.min(timeout, 200));
            }
            rtts.add(answered ? Math.round((System.nanoTime() - start) / 10_000.0) / 100.0 : null);
        }
        return new Peer(host, address.getHostAddress(), rtts, error);
    }

    @Override
    public void evaluate(ReachabilityFacts facts, Parameters p, Evaluation.Builder out) {
        double lossWarning = p.percent("loss-warning");
        for (Peer peer : facts.peers()) {
            int sent = peer.rttMillis().size();
            long answered = peer.answered();
            double loss = sent == 0 ? 100 : 100.0 * (sent - answered) / sent;
            Map<String, String> labels = Map.of("host", peer.host());
            out.metric(new Metric("probe_loss_percent", loss, "%", labels, null, null));
            List<Double> ok = peer.rttMillis().stream().filter(r -> r != null).toList();
            Double avg = ok.isEmpty() ? null : Math.round(ok.stream().mapToDouble(d -> d).average().orElse(0) * 100) / 100.0;
            if (avg != null) {
                out.metric(new Metric("probe_rtt_seconds", avg / 1000.0, "s", labels, null, null));
            }
            Evidence evidence = Evidence.of("host", peer.host(), "address", peer.address(), "sent", sent,
                    "answered", answered, "loss_percent", Math.round(loss * 10) / 10.0)
                    .putIfPresent("rtt_avg_ms", avg).putIfPresent("error", peer.error());
            if (answered == 0) {
                out.finding(HOST_UNREACHABLE, Severity.CRITICAL, peer.host() + (peer.address().equals(peer.host())
                        ? "" : " (" + peer.address() + ")") + " answered none of " + sent + " echo requests within "
                        + facts.probeTimeoutMillis() + " ms each" + (peer.error() != null ? " (" + peer.error() + ")"
                        : "") + ": the host is down, unreachable from here, or ICMP is filtered on the way (then "
                        + "tcp-port to a port it serves tells which)", evidence.put("probe_timeout_ms",
                                facts.probeTimeoutMillis()));
            } else if (loss >= lossWarning) {
                out.finding(PACKET_LOSS, Severity.WARNING, String.format(Locale.ROOT, "%s lost %d of %d echo requests "
                        + "(%.0f%%, warning at %.0f%%): a congested or faulty link, a duplex mismatch, or a rate "
                        + "limit on ICMP on the way; TCP on this path retransmits and slows down the same way",
                        peer.host(), sent - answered, sent, loss, lossWarning), evidence.put("loss_warning", lossWarning));
            }
        }
    }
}
