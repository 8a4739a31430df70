package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.TcpPortCode.CONNECT_SLOW;
import static io.opsdoc.checks.host.TcpPortCode.NO_ROUTE;
import static io.opsdoc.checks.host.TcpPortCode.PORT_CLOSED;
import static io.opsdoc.checks.host.TcpPortCode.PORT_FILTERED;

import io.opsdoc.checks.host.TcpPortFacts.Connect;
import io.opsdoc.checks.host.TcpPortFacts.Outcome;
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
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
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
 * Does a TCP port accept connections, seen from where opsdoc runs? One connect per endpoint of
 * {@code tcp://host:port[,host:port...]}, told apart the way the kernel tells them: refused (a reset came back),
 * no answer (the SYN was dropped), no route (ARP or a router gave up), or open but slow. It sends no byte: whether
 * the service behind the port answers is the business of that service's own check.
 */
public final class TcpPort extends DescribedCheck<TcpPortFacts> {
    public static final String ID = "tcp-port";
    static final String NOTE = "network/tcp-port";
    static final String SCHEME = "tcp";
    /** Endpoints connected at once: a list of peers is checked in about the time of the slowest. */
    private static final int PARALLEL = 8;
    private static final int MAX_ENDPOINTS = 64;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("connect-timeout", ParameterType.DURATION, "5s", "how long one connect may wait for "
                    + "the SYN-ACK before the port counts as filtered (above 3 s, so that a failed ARP on the local "
                    + "segment is told apart as no route)"),
            new ParameterSpec("slow", ParameterType.DURATION, "500ms", "connect time at which to warn: one lost "
                    + "SYN costs the initial retransmission timeout of 1 s"));

    public TcpPort() {
        super(ID, SCHEME, "Does this TCP port accept connections from here, and how fast?", TcpPortFacts.class,
                PARAMETERS, TcpPortCode.class, List.of(new GrantSet("tcp://", List.of("# none: an ordinary user "
                        + "opens a TCP connection and closes it at once, sending no data"),
                        "tcp-port needs only a network path to the port; a firewall between opsdoc and the port is "
                                + "exactly what it reports, so run it from where the clients of the port run")));
    }

    @Override
    public void validate(Target target) {
        if (!SCHEME.equals(target.scheme())) {
            throw new UsageException("tcp-port takes tcp://host:port[,host:port...], not " + target.display());
        }
        if (target.hosts().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no host; write tcp://host:port");
        }
        if (target.hosts().size() > MAX_ENDPOINTS) {
            throw new UsageException("target " + target.display() + " names " + target.hosts().size()
                    + " endpoints; at most " + MAX_ENDPOINTS + " in one target");
        }
        for (Target.HostPort hp : target.hosts()) {
            if (hp.port() <= 0 || hp.port() > 65535) {
                throw new UsageException("target " + target.display() + ": " + hp.host() + " names no port; write "
                        + "tcp://" + hp.host() + ":PORT (e.g. 3306 MySQL, 6379 Redis, 443 HTTPS)");
            }
        }
        if (!target.query().isEmpty() || !target.path().isEmpty() && !target.path().equals("/")) {
            throw new UsageException("target " + target.display() + ": tcp:// takes no path and no options");
        }
    }

    @Override
    public TcpPortFacts collect(CheckContext context) throws Exception {
        validate(context.target());
        long timeout = context.parameters().duration("connect-timeout").toMillis();
        List<Target.HostPort> endpoints = context.target().hosts();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, endpoints.size()), r -> {
            Thread t = new Thread(r, "tcp-port");
            t.setDaemon(true); // a resolver stuck past the deadline must not keep the JVM alive
            return t;
        });
        try {
            List<Future<Connect>> futures = new ArrayList<>();
            for (Target.HostPort hp : endpoints) {
                futures.add(pool.submit(() -> connect(hp, timeout, context)));
            }
            List<Connect> out = new ArrayList<>();
            for (Future<Connect> f : futures) {
                try {
                    out.add(f.get(context.remainingMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "resolving and connecting did not finish within "
                            + "the check's deadline (the name's DNS lookup hangs, or --timeout is below connect-timeout)");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) {
                        throw x;
                    }
                    throw e;
                }
            }
            return new TcpPortFacts(out, timeout);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One connect; a failure the kernel names becomes an outcome, anything else a probe error. */
    private static Connect connect(Target.HostPort hp, long timeoutMillis, CheckContext context) throws Exception {
        InetAddress address;
        try {
            address = InetAddress.getByName(hp.host());
        } catch (UnknownHostException e) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host '" + hp.host() + "' (DNS): "
                    + "dns-resolution tells why");
        }
        long remaining = context.remainingMillis();
        // the check's own deadline is no verdict on the port: leave a margin so that a real timeout is told apart
        boolean cut = remaining - 200 < timeoutMillis;
        int wait = (int) Math.max(1, cut ? remaining - 200 : timeoutMillis);
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, hp.port()), wait);
            return result(hp, address, Outcome.OPEN, start, null);
        } catch (SocketTimeoutException e) {
            if (cut) {
                throw new ProbeException(ProbeErrors.TIMEOUT, "no answer from " + hp + " before the check's "
                        + "deadline, which came before connect-timeout " + timeoutMillis + " ms: raise --timeout");
            }
            return result(hp, address, Outcome.TIMEOUT, start, e.getMessage());
        } catch (ConnectException e) {
            return result(hp, address, noRoute(e) ? Outcome.NO_ROUTE : Outcome.REFUSED, start, e.getMessage());
        } catch (IOException e) {
            if (noRoute(e)) {
                return result(hp, address, Outcome.NO_ROUTE, start, e.getMessage());
            }
            if (FailureClassifier.reset(e)) {
                // ECONNRESET, not ECONNREFUSED: the handshake completed and the server reset the connection before
                // the connect returned: the port accepts; what the service does next is its own check's business
                return result(hp, address, Outcome.OPEN, start, "reset by the server right after the handshake");
            }
            FailureClassifier.Failure f = FailureClassifier.network(e, hp.toString(), hp.host());
            throw new ProbeException(f != null ? f.code() : ProbeErrors.PROBE_FAILED,
                    f != null ? f.reason() : "connect to " + hp + ": " + FailureClassifier.oneLine(e));
        }
    }

    /** EHOSTUNREACH and ENETUNREACH: the JDK reports them as NoRouteToHostException or a ConnectException's words. */
    private static boolean noRoute(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e instanceof java.net.NoRouteToHostException || m.contains("no route to host")
                || m.contains("host is unreachable") || m.contains("network is unreachable");
    }

    private static Connect result(Target.HostPort hp, InetAddress address, Outcome outcome, long startNanos, String error) {
        double millis = Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
        return new Connect(hp.host(), hp.port(), address.getHostAddress(), outcome, millis, error);
    }

    @Override
    public void evaluate(TcpPortFacts facts, Parameters p, Evaluation.Builder out) {
        Duration slow = p.duration("slow");
        for (Connect c : facts.connects()) {
            Map<String, String> labels = Map.of("endpoint", c.host() + ":" + c.port());
            out.metric(new Metric("tcp_port_open", c.outcome() == Outcome.OPEN ? 1 : 0, "", labels, null, null));
            Evidence evidence = Evidence.of("endpoint", c.host() + ":" + c.port(), "address", c.address(),
                    "outcome", c.outcome().name(), "connect_ms", c.millis()).putIfPresent("error", c.error());
            switch (c.outcome()) {
                case OPEN -> {
                    out.metric(new Metric("tcp_connect_seconds", c.millis() / 1000.0, "s", labels, null, null));
                    if (c.millis() >= slow.toMillis()) {
                        out.finding(CONNECT_SLOW, Severity.WARNING, String.format(Locale.ROOT, "%s accepted the "
                                + "connection after %.0f ms (warning at %d ms): around 1000 ms or 3000 ms a SYN or "
                                + "SYN-ACK was lost and retransmitted (packet loss, a full accept queue on the server, "
                                + "conntrack drops); steadily high means a long path", c.endpoint(), c.millis(),
                                slow.toMillis()), evidence.put("slow_ms", slow.toMillis()));
                    }
                }
                case REFUSED -> out.finding(PORT_CLOSED, Severity.CRITICAL, c.endpoint() + " refused the connection "
                        + "(a reset came back): nothing listens on port " + c.port() + " there, the service listens "
                        + "on another address (127.0.0.1 only?), or a firewall rejects it; look with ss -ltn on the host",
                        evidence);
                case TIMEOUT -> out.finding(PORT_FILTERED, Severity.CRITICAL, c.endpoint() + " did not answer the "
                        + "connect within " + facts.timeoutMillis() + " ms: the SYN or its answer is dropped on the "
                        + "way (a firewall DROP rule, a security group, a black-holed route); a stopped service "
                        + "would have refused instead", evidence.put("connect_timeout_ms", facts.timeoutMillis()));
                case NO_ROUTE -> out.finding(NO_ROUTE, Severity.CRITICAL, c.endpoint() + ": no route to the host ("
                        + c.error() + "): on the same segment the host did not answer ARP (down, or its address "
                        + "moved); further away a router or firewall answered host-unreachable; check with "
                        + "ip neigh and ip route get " + c.address(), evidence);
                default -> throw new IllegalStateException(c.outcome().name());
            }
        }
    }
}
