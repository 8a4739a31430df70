package io.opsdoc.checks.memcached;

import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * memcached's text protocol, the two read-only commands the check sends: {@code stats} and {@code stats settings}.
 * One connection for both samples, so the window is not spent connecting. Any line that is not {@code STAT ...} or
 * {@code END}, a binary byte or an endless answer is "not memcached", reported at once.
 */
final class TextProtocol implements AutoCloseable {
    static final int DEFAULT_PORT = 11211;
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 2000;

    private final Socket socket;
    private final InputStream in;
    private final String where;

    private TextProtocol(Socket socket, String where) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.where = where;
    }

    static TextProtocol open(Target.HostPort hp, Instant deadline) throws ProbeException {
        String where = hp.toString();
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(hp.host(), hp.port()), millisLeft(deadline));
            s.setTcpNoDelay(true);
            return new TextProtocol(s, where);
        } catch (IOException e) {
            closeQuietly(s);
            throw failure(e, where, hp.host(), "connecting");
        }
    }

    /** Sends {@code command} and returns its STAT lines as name → value, in order. */
    Map<String, String> stats(String command, Instant deadline) throws ProbeException {
        return parse(statsText(command, deadline));
    }

    /** The raw answer, without END. */
    String statsText(String command, Instant deadline) throws ProbeException {
        try {
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder text = new StringBuilder();
            for (int n = 0; n < MAX_LINES; n++) {
                socket.setSoTimeout(millisLeft(deadline));
                String line = readLine();
                if (line.equals("END")) {
                    return text.toString();
                }
                if (!line.startsWith("STAT ")) {
                    throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered '" + command + "' with '"
                            + shorten(line) + "', not memcached's STAT lines");
                }
                text.append(line).append('\n');
            }
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered '" + command + "' with more than "
                    + MAX_LINES + " lines: not memcached");
        } catch (IOException e) {
            throw failure(e, where, socket.getInetAddress() == null ? where : socket.getInetAddress().getHostAddress(),
                    "reading '" + command + "'");
        }
    }

    private String readLine() throws IOException, ProbeException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    FailureClassifier.Failure f = FailureClassifier.reset(where);
                    throw new ProbeException(f.code(), f.reason());
                }
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " closed the connection in the middle "
                        + "of a line: not memcached");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b >= 0x7f || b < 0x20 && b != '\r' && b != '\t') {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " sent a binary byte 0x"
                        + Integer.toHexString(b) + ": not memcached's text protocol");
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " sent a line longer than " + MAX_LINE
                        + " bytes: not memcached");
            }
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ", 3);
            if (f.length == 3 && f[0].equals("STAT")) {
                m.put(f[1], f[2]);
            }
        }
        return m;
    }

    private static ProbeException failure(IOException e, String where, String host, String doing) {
        if (e instanceof SocketTimeoutException) {
            return new ProbeException(ProbeErrors.TIMEOUT, "no answer from " + where + " before the deadline ("
                    + doing + ")", e);
        }
        FailureClassifier.Failure f = FailureClassifier.network(e, where, host);
        if (f == null) {
            f = new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, doing + " " + where + " failed: "
                    + FailureClassifier.oneLine(e));
        }
        return new ProbeException(f.code(), f.reason(), e);
    }

    private static int millisLeft(Instant deadline) throws SocketTimeoutException {
        long ms = Duration.between(Instant.now(), deadline).toMillis();
        if (ms < 1) {
            throw new SocketTimeoutException("deadline reached");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to report
        }
    }

    @Override
    public void close() {
        try {
            socket.getOutputStream().write("quit\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(socket);
    }
}
