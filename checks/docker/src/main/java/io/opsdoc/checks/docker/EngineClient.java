package io.opsdoc.checks.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.Json;
import io.opsdoc.core.OpsdocVersion;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Runner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A minimal, read-only HTTP/1.1 client for the Docker Engine API over a unix socket or TCP: one {@code GET} per
 * connection ({@code Connection: close}), non-blocking I/O under a selector so that connect, write and every read
 * are bounded by the check's deadline. The JDK's HttpClient cannot dial a unix socket, and a client library
 * (docker-java with httpclient5) would bring ~4 MB of jars to send a handful of GETs.
 */
final class EngineClient {
    /** {@code /containers/json?all=1} on a host with thousands of containers stays far below this. */
    static final int MAX_RESPONSE = 32 << 20;
    private static final String USER_AGENT = "opsdoc/" + OpsdocVersion.get();

    private EngineClient() {
    }

    /** GET {@code path}; 200 with a JSON body, else a ProbeException with the right probe-error code. */
    static JsonNode json(CheckContext context, String path) throws ProbeException, InterruptedException {
        EngineEndpoint e = EngineEndpoint.of(context.target());
        Response r = get(e, path, context.deadline());
        if (r.status() != 200) {
            throw httpError(e, path, r);
        }
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException ex) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + e.where()
                    + " answered 200 with a body that is not JSON: is this the Docker Engine API?");
        }
    }

    /** GET {@code path} expecting a short text body (/_ping answers "OK"). */
    static String text(CheckContext context, String path) throws ProbeException, InterruptedException {
        EngineEndpoint e = EngineEndpoint.of(context.target());
        Response r = get(e, path, context.deadline());
        if (r.status() != 200) {
            throw httpError(e, path, r);
        }
        return r.body().strip();
    }

    record Response(int status, String body) {
    }

    static Response get(EngineEndpoint e, String path, Instant deadline) throws ProbeException, InterruptedException {
        byte[] raw;
        try {
            raw = e.tls() != null ? EngineTls.exchange(e, path, deadline, request(path)) : exchange(e, path, deadline);
        } catch (ProbeException ex) {
            throw ex;
        } catch (IOException ex) {
            throw translate(ex, e);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return parse(raw, e, path);
    }

    private static byte[] exchange(EngineEndpoint e, String path, Instant deadline) throws IOException, ProbeException {
        java.net.SocketAddress address = e.address();
        if (!e.unix()) {
            InetSocketAddress u = (InetSocketAddress) address;
            address = new InetSocketAddress(u.getHostString(), u.getPort());
            if (((InetSocketAddress) address).isUnresolved()) {
                throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host '" + u.getHostString() + "' (DNS)");
            }
        }
        try (SocketChannel ch = e.unix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(address)) {
                SelectionKey k = ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    await(selector, deadline, e, "no connection to " + e.where());
                }
                k.cancel();
                selector.selectNow();
            }
            ByteBuffer request = ByteBuffer.wrap(request(path));
            SelectionKey w = ch.register(selector, SelectionKey.OP_WRITE);
            IOException writeFailed = null;
            try {
                while (request.hasRemaining()) {
                    if (ch.write(request) == 0) {
                        await(selector, deadline, e, "GET " + path + " on " + e.where() + ": the request could not be sent");
                    }
                }
            } catch (IOException ex) {
                // a peer that talks first and hangs up (a banner) breaks our write: what it sent tells more
                writeFailed = ex;
            }
            w.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (true) {
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException ex) {
                    if (writeFailed != null) {
                        throw writeFailed;
                    }
                    throw ex;
                }
                if (n < 0) {
                    if (writeFailed != null && out.size() == 0) {
                        throw writeFailed;
                    }
                    break;
                }
                if (n == 0) {
                    await(selector, deadline, e, "GET " + path + " on " + e.where() + ": "
                            + (out.size() == 0 ? "no answer" : "the answer did not complete"));
                    continue;
                }
                out.write(buf.array(), 0, buf.position());
                buf.clear();
                if (out.size() > MAX_RESPONSE) {
                    throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "GET " + path + " on " + e.where()
                            + ": the answer is larger than " + (MAX_RESPONSE >> 20) + " MiB");
                }
                if (complete(out.toByteArray(), e, path)) {
                    break;
                }
            }
            return out.toByteArray();
        }
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: " + USER_AGENT
                + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * True once the answer is whole (Content-Length reached, or the last chunk seen), so a peer that keeps the
     * connection open costs no wait; a first line that is not HTTP fails at once instead of at the deadline.
     */
    static boolean complete(byte[] raw, EngineEndpoint e, String path) throws ProbeException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        if (all.length() >= 5 && !all.startsWith("HTTP/")) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " answered GET " + path
                    + " with something that is not HTTP: not the Docker Engine API");
        }
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String body = all.substring(end + 4);
        for (String h : all.substring(0, end).split("\r\n")) {
            String l = h.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:")) {
                try {
                    return body.length() >= Long.parseLong(l.substring(15).trim());
                } catch (NumberFormatException ex) {
                    return false;
                }
            }
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                return body.startsWith("0\r\n\r\n") || body.endsWith("\r\n0\r\n\r\n");
            }
        }
        return false;
    }

    private static void await(Selector selector, Instant deadline, EngineEndpoint e, String what)
            throws IOException, ProbeException {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("interrupted");
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0 || selector.select(left) == 0 && !Instant.now().isBefore(deadline)) {
            throw new ProbeException(ProbeErrors.TIMEOUT, what + " before the deadline ("
                    + (e.unix() ? "the daemon accepted on its socket and did not answer: hung or overloaded dockerd"
                            : "packets dropped, or the peer accepted and said nothing") + ")");
        }
        selector.selectedKeys().clear();
    }

    private static ProbeException translate(IOException ex, EngineEndpoint e) {
        String m = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
        if (e.unix()) {
            if (m.contains("no such file")) {
                return new ProbeException(ProbeErrors.UNREACHABLE, "no socket at " + e.where()
                        + " (dockerd is not running, or listens elsewhere: see its -H / \"hosts\" setting)", ex);
            }
            if (m.contains("permission denied")) {
                return new ProbeException(ProbeErrors.PERMISSION_DENIED, "permission denied on " + e.where()
                        + ": the socket is root-equivalent, readable by root and the docker group only; give the "
                        + "monitor a read-only socket proxy instead of that group (opsdoc grants docker-daemon)", ex);
            }
            if (m.contains("connection refused")) {
                return new ProbeException(ProbeErrors.UNREACHABLE, "connection refused on " + e.where()
                        + " (a stale socket file: dockerd is not running)", ex);
            }
        }
        if (ex instanceof UnknownHostException) {
            return new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve " + e.where() + " (DNS)", ex);
        }
        FailureClassifier.Failure f = FailureClassifier.network(ex, e.where(), e.where());
        if (f != null) {
            return new ProbeException(f.code(), f.reason(), ex);
        }
        if (ex instanceof SocketException) {
            return new ProbeException(ProbeErrors.UNREACHABLE, "cannot connect to " + e.where() + ": "
                    + FailureClassifier.oneLine(ex), ex);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, e.where() + ": " + FailureClassifier.oneLine(ex), ex);
    }

    /** Status line, headers, then a body that is either chunked or runs to the end (the connection is closed). */
    static Response parse(byte[] raw, EngineEndpoint e, String path) throws ProbeException {
        if (raw.length == 0) {
            FailureClassifier.Failure reset = FailureClassifier.reset(e.where());
            throw new ProbeException(reset.code(), reset.reason());
        }
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.") || end < 0 || all.length() < 12) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " answered GET " + path
                    + " with something that is not HTTP: not the Docker Engine API");
        }
        int status;
        try {
            status = Integer.parseInt(all.substring(9, 12));
        } catch (NumberFormatException ex) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " answered with a malformed HTTP status line");
        }
        boolean chunked = false;
        for (String h : all.substring(0, end).split("\r\n")) {
            String l = h.toLowerCase(Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (chunked) {
            body = dechunk(body, e);
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] in, EngineEndpoint e) throws ProbeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOfCrlf(in, i);
            if (lineEnd < 0) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " ended a chunked answer early");
            }
            String sizeText = new String(in, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException ex) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " sent a malformed chunk size");
            }
            i = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (i + size > in.length) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, e.where() + " ended a chunked answer early");
            }
            out.write(in, i, size);
            i += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static ProbeException httpError(EngineEndpoint e, String path, Response r) {
        String message = r.body().strip();
        try {
            JsonNode j = Json.mapper().readTree(r.body());
            if (j != null && j.hasNonNull("message")) {
                message = j.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: keep the first line of the text
        }
        int nl = message.indexOf('\n');
        message = nl < 0 ? message : message.substring(0, nl);
        message = message.length() > 200 ? message.substring(0, 200) : message;
        String said = "GET " + path + " on " + e.where() + " answered " + r.status() + (message.isEmpty() ? "" : " (" + message + ")");
        return switch (r.status()) {
            case 401 -> new ProbeException(ProbeErrors.AUTH_FAILED, said);
            case 403 -> new ProbeException(ProbeErrors.PERMISSION_DENIED, said
                    + ": a socket proxy or an authorization plugin refuses this read; allow it (see opsdoc grants)");
            default -> new ProbeException(ProbeErrors.PROTOCOL_ERROR, said);
        };
    }

    static String remaining(Instant deadline) {
        return Runner.human(Duration.between(Instant.now(), deadline));
    }
}
