package io.opsdoc.checks.host;

import io.opsdoc.checks.host.DnsFacts.Lookup;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
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
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS queries of dns-resolution, with dnsjava: each name of each nameserver asked directly (never through the
 * system resolver, which picks its own servers and folds every failure into "unknown host"), as glibc would: up to
 * {@code attempts} tries of {@code timeout} each, all within the check's deadline. Lookups run in parallel, at
 * most {@link #PARALLEL} at once.
 */
final class DnsQueries {
    private static final int PARALLEL = 8;
    /** Kept free at the end of the deadline to return what was found rather than be cut off. */
    private static final long MARGIN_MS = 300;

    private DnsQueries() {
    }

    /** {@code server=} as a list of ADDRESS or ADDRESS:PORT ([v6]:PORT); IP addresses only, as in resolv.conf. */
    static List<String> servers(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                address(t);
                out.add(t);
            }
        }
        return out;
    }

    static boolean loopback(String server) {
        return address(server).getAddress().isLoopbackAddress();
    }

    private static InetSocketAddress address(String server) {
        String host = server;
        int port = 53;
        int colon = server.lastIndexOf(':');
        if (server.startsWith("[") && server.contains("]")) {
            host = server.substring(1, server.indexOf(']'));
            if (server.indexOf(']') + 1 < server.length()) {
                port = Integer.parseInt(server.substring(server.indexOf(']') + 2));
            }
        } else if (colon > 0 && server.indexOf(':') == colon) {
            host = server.substring(0, colon);
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("nameserver '" + server + "': the port must be a number");
            }
        }
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
            throw new UsageException("nameserver '" + server + "': give an IP address, as resolv.conf does");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
        } catch (IOException e) {
            throw new UsageException("nameserver '" + server + "' is not an IP address");
        }
    }

    static List<Lookup> ask(Map<String, List<String>> names, List<String> servers, ResolvConf conf, CheckContext context)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, names.size() * servers.size()), r -> {
            Thread t = new Thread(r, "dns-resolution");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Lookup>> futures = new ArrayList<>();
            for (var name : names.entrySet()) {
                boolean v6 = name.getValue().stream().anyMatch(a -> a.contains(":"));
                for (String server : servers) {
                    futures.add(pool.submit(() -> lookup(name.getKey(), v6 ? Type.AAAA : Type.A, server, conf, context)));
                }
            }
            List<Lookup> out = new ArrayList<>();
            for (Future<Lookup> f : futures) {
                try {
                    out.add(f.get(context.remainingMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "the DNS lookups did not finish within the check's "
                            + "deadline");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Lookup lookup(String name, int type, String server, ResolvConf conf, CheckContext context)
            throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        SimpleResolver resolver = new SimpleResolver(address(server));
        long start = System.nanoTime();
        int tries = 0;
        String failure = "TIMEOUT";
        String error = null;
        while (tries < conf.attempts()) {
            long left = context.remainingMillis() - MARGIN_MS;
            if (left < 50) {
                break;
            }
            tries++;
            resolver.setTimeout(Duration.ofMillis(Math.min(conf.timeoutSeconds() * 1000L, left)));
            try {
                Message answer = resolver.send(query);
                List<String> addresses = new ArrayList<>();
                for (Record r : answer.getSection(Section.ANSWER)) {
                    if (r instanceof ARecord a) {
                        addresses.add(a.getAddress().getHostAddress());
                    } else if (r instanceof AAAARecord a) {
                        addresses.add(a.getAddress().getHostAddress());
                    }
                }
                return new Lookup(name, Type.string(type), server, Rcode.string(answer.getRcode()), addresses,
                        millis(start), tries, null, null);
            } catch (PortUnreachableException e) {
                // ICMP port unreachable: glibc moves on to the next server at once, and so does this
                return new Lookup(name, Type.string(type), server, null, List.of(), millis(start), tries, "REFUSED",
                        "ICMP port unreachable");
            } catch (SocketTimeoutException e) {
                failure = "TIMEOUT";
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timed out")) {
                    failure = "TIMEOUT";
                } else {
                    failure = "ERROR";
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }
        return new Lookup(name, Type.string(type), server, null, List.of(), millis(start), tries, failure, error);
    }

    private static double millis(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
    }
}
