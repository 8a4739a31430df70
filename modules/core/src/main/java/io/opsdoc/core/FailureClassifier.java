package io.opsdoc.core;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns an exception escaping {@link Check#collect} into one precise UNKNOWN reason. Checks that know their
 * protocol throw {@link ProbeException}; the network failures every client library surfaces the same way
 * (DNS, refused, no route, reset, timeout, a TLS handshake with a non-TLS port) are recognised here so each check
 * need not repeat them.
 *
 * <p>Refused and no-route share the code UNREACHABLE (both: no connection was made, look at the path and the
 * listener) and differ in the summary. Reset gets its own code: the port was open, so the problem is the server or
 * something in front of it, not the path.
 */
public final class FailureClassifier {

    public record Failure(FindingCode code, String reason) {
    }

    private FailureClassifier() {
    }

    public static Failure classify(Throwable thrown, Target target) {
        for (Throwable t : chain(thrown)) {
            if (t instanceof ProbeException p) {
                return new Failure(p.code(), p.getMessage());
            }
        }
        String where = target.hosts().isEmpty() ? target.display() : target.host().toString();
        String host = target.hosts().isEmpty() ? where : target.host().host();
        Failure network = network(thrown, where, host);
        return network != null ? network
                : new Failure(ProbeErrors.PROBE_FAILED, thrown.getClass().getSimpleName() + ": " + oneLine(thrown));
    }

    /**
     * The network-level reason in {@code thrown}'s causes (and suppressed exceptions, where some clients put the
     * real socket error), or null when there is none. {@code where} is host:port, {@code host} the name to resolve.
     */
    public static Failure network(Throwable thrown, String where, String host) {
        List<Throwable> chain = chain(thrown);
        // the most specific first: a timeout or reset is often wrapped in a generic "link failure"
        for (Throwable t : chain) {
            // the JDK HttpClient's NIO connect says UnresolvedAddressException where sockets say UnknownHostException
            if (t instanceof UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return new Failure(ProbeErrors.UNREACHABLE, "cannot resolve host '" + host + "' (DNS)");
            }
            if (noRoute(t)) {
                return noRoute(where);
            }
        }
        // a closed channel is a hang-up only once connected: the JDK HttpClient also puts one under a refused connect
        boolean connectFailed = chain.stream().anyMatch(t -> t instanceof ConnectException && !reset(t));
        for (Throwable t : chain) {
            // before "refused": some clients wrap a reset after connecting in a ConnectException
            if (reset(t) || t instanceof java.nio.channels.ClosedChannelException && !connectFailed) {
                return reset(where);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException) {
                return refused(where);
            }
            if (t instanceof SSLException && notTls(t)) {
                return new Failure(ProbeErrors.PROTOCOL_ERROR, where + " does not speak TLS: the handshake got a "
                        + "non-TLS answer (" + oneLine(t) + ")");
            }
            if (t instanceof SocketTimeoutException) {
                return new Failure(ProbeErrors.TIMEOUT, "no answer from " + where + " before the deadline (" + oneLine(t) + ")");
            }
        }
        return null;
    }

    public static Failure refused(String where) {
        return new Failure(ProbeErrors.UNREACHABLE, "connection refused by " + where + " (is the service running on that port?)");
    }

    public static Failure noRoute(String where) {
        return new Failure(ProbeErrors.UNREACHABLE, "network unreachable: no route to " + where
                + " from this host (routing, VPN, or a firewall answering with ICMP unreachable)");
    }

    public static Failure reset(String where) {
        return new Failure(ProbeErrors.CONNECTION_RESET, where + " accepted the connection, then reset or closed it "
                + "before answering (crashing or overloaded server, a proxy or firewall cutting it, or TLS expected)");
    }

    /** ENETUNREACH and EHOSTUNREACH: the JDK reports them as NoRouteToHostException or by message only. */
    static boolean noRoute(Throwable t) {
        if (t instanceof NoRouteToHostException) {
            return true;
        }
        String m = lower(t);
        return t instanceof SocketException && (m.contains("network is unreachable") || m.contains("no route to host")
                || m.contains("host is unreachable"));
    }

    /** RST, EOF or a broken pipe right after connecting: the peer hung up on us. */
    public static boolean reset(Throwable t) {
        String m = lower(t);
        // IOException, not only SocketException: Netty's native transport reports ECONNRESET as a plain IOException
        return t instanceof java.io.IOException && (m.contains("connection reset") || m.contains("broken pipe")
                || m.contains("connection aborted") || m.contains("socket closed by peer"))
                || t instanceof EOFException
                // Netty/Vert.x (the Kubernetes client) say it in words, or with a ClosedChannelException (see network)
                || m.contains("connection was closed") || m.contains("connection closed by peer")
                || t instanceof SSLException && (m.contains("remote host terminated") || m.contains("peer shut down"));
    }

    /** A TLS client got something that is not a TLS record: the port speaks another protocol, or cleartext. */
    public static boolean notTls(Throwable t) {
        String m = lower(t);
        return m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")
                || m.contains("not an ssl/tls record") || m.contains("unexpected_message") || m.contains("record_overflow")
                || m.contains("record overflow") || m.contains("illegal_parameter") || m.contains("decode_error");
    }

    private static String lower(Throwable t) {
        return String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    }

    /** The causes and suppressed exceptions of {@code thrown}, depth first, each once. */
    static List<Throwable> chain(Throwable thrown) {
        List<Throwable> out = new ArrayList<>();
        add(thrown, out);
        return out;
    }

    private static void add(Throwable t, List<Throwable> out) {
        if (t == null || out.contains(t) || out.size() > 32) {
            return;
        }
        out.add(t);
        add(t.getCause(), out);
        for (Throwable s : t.getSuppressed()) {
            add(s, out);
        }
    }

    /** First line of the message: client libraries append multi-line hints and stack-like detail. */
    public static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
