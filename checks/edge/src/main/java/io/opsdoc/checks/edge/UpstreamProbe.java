package io.opsdoc.checks.edge;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Probes upstream servers the way nginx reaches them: a TCP connect, or an HTTP/1.0 GET whose status line is read
 * (< 500 is up). At most {@code parallel} at a time, each with its own deadline (probe-timeout, never past the check's).
 */
final class UpstreamProbe {
    private UpstreamProbe() {
    }

    static List<UpstreamsFacts.Server> probeAll(CheckContext context, List<NginxConfig.UpstreamServer> listed, String probe,
            String path, Duration timeout, int parallel) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, listed.size())), r -> {
            Thread t = new Thread(r, "opsdoc-upstream-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<UpstreamsFacts.Server>> futures = new ArrayList<>();
            for (NginxConfig.UpstreamServer u : listed) {
                futures.add(pool.submit(() -> probe(context, u, probe, path, timeout)));
            }
            List<UpstreamsFacts.Server> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                NginxConfig.UpstreamServer u = listed.get(i);
                try {
                    long wait = Math.max(1, context.remaining().toMillis());
                    out.add(futures.get(i).get(wait, TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    out.add(server(u, true, false, "not probed before the check's deadline"));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static UpstreamsFacts.Server server(NginxConfig.UpstreamServer u, boolean probed, boolean up, String result) {
        return new UpstreamsFacts.Server(u.upstream(), u.address(), u.backup(), u.down(), u.maxFails(), probed, up, result);
    }

    static UpstreamsFacts.Server probe(CheckContext context, NginxConfig.UpstreamServer u, String probe, String path,
            Duration timeout) {
        if (u.down()) {
            return server(u, false, false, "marked down in the configuration");
        }
        if (u.address().startsWith("unix:")) {
            return server(u, false, false, "unix socket: not probed");
        }
        String host;
        int port;
        String a = u.address();
        int colon = a.lastIndexOf(':');
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            host = a.substring(1, end);
            port = end + 1 < a.length() && a.charAt(end + 1) == ':' ? Integer.parseInt(a.substring(end + 2)) : 80;
        } else if (colon > 0) {
            host = a.substring(0, colon);
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                return server(u, false, false, "cannot read the port of " + a);
            }
        } else {
            host = a;
            port = 80;
        }
        long budget = Math.min(timeout.toMillis(), context.remaining().toMillis() - 100);
        if (budget <= 0) {
            return server(u, true, false, "no time left before the check's deadline");
        }
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) budget);
            if (probe.equals("tcp")) {
                return server(u, true, true, "connected in " + ms(t0) + " ms");
            }
            s.setSoTimeout((int) Math.max(1, budget - (System.nanoTime() - t0) / 1_000_000));
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + a + "\r\nUser-Agent: opsdoc nginx-upstreams\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = statusLine(s.getInputStream());
            if (line == null || !line.matches("HTTP/\\d\\.\\d \\d{3}.*")) {
                return server(u, true, false, line == null ? "closed without an HTTP answer" : "not HTTP: " + line);
            }
            int status = Integer.parseInt(line.substring(9, 12));
            return server(u, true, status < 500, "HTTP " + status + " in " + ms(t0) + " ms");
        } catch (SocketTimeoutException e) {
            return server(u, true, false, "no answer within " + budget + " ms");
        } catch (ConnectException e) {
            return server(u, true, false, "connection refused");
        } catch (IOException e) {
            FailureClassifier.Failure f = FailureClassifier.network(e, a, host);
            return server(u, true, false, f != null ? f.reason() : FailureClassifier.oneLine(e));
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && b.length() < 200) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.length() == 0 && c < 0 ? null : b.toString();
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
