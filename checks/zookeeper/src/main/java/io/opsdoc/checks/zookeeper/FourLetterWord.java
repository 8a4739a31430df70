package io.opsdoc.checks.zookeeper;

import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One ZooKeeper four-letter word over a plain socket: connect, write the word, read until the server closes. The
 * server answers every 4lw with ASCII text and closes the connection, so anything else (a binary byte, more text
 * than any real answer, silence) is not ZooKeeper and is reported as such, within the deadline.
 */
final class FourLetterWord {
    /** mntr on 3.8 is ~20 KB; anything past this is not a four-letter-word answer. */
    static final int MAX_REPLY = 1 << 20;
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";
    static final String NOT_WHITELISTED = "is not executed because it is not in the whitelist";

    private FourLetterWord() {
    }

    /** Sends {@code word} to {@code member} and returns the whole answer; never waits past {@code deadline}. */
    static String ask(Target.HostPort member, String word, Instant deadline) throws ProbeException {
        String where = member.toString();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(member.host(), member.port()), millisLeft(deadline, where));
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                s.setSoTimeout(millisLeft(deadline, where));
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xff;
                    if (b >= 0x7f || b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
                        throw notZooKeeper(where, word, "a binary byte 0x" + Integer.toHexString(b));
                    }
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_REPLY) {
                    throw notZooKeeper(where, word, "more than " + MAX_REPLY + " bytes");
                }
            }
            String reply = out.toString(StandardCharsets.US_ASCII);
            if (reply.isEmpty()) {
                FailureClassifier.Failure f = FailureClassifier.reset(where);
                throw new ProbeException(f.code(), f.reason());
            }
            return reply;
        } catch (SocketTimeoutException e) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no complete answer to '" + word + "' from " + where
                    + " before the deadline (a ZooKeeper server answers a four-letter word at once and closes)", e);
        } catch (IOException e) {
            FailureClassifier.Failure f = FailureClassifier.network(e, where, member.host());
            if (f == null) {
                f = new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, "'" + word + "' to " + where + " failed: "
                        + FailureClassifier.oneLine(e));
            }
            throw new ProbeException(f.code(), f.reason(), e);
        }
    }

    private static ProbeException notZooKeeper(String where, String word, String what) {
        return new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered '" + word + "' with " + what
                + ": not a ZooKeeper client port");
    }

    private static int millisLeft(Instant deadline, String where) throws SocketTimeoutException {
        long ms = Duration.between(Instant.now(), deadline).toMillis();
        if (ms < 1) {
            throw new SocketTimeoutException("deadline reached before " + where + " answered");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
