package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The shapes client libraries give each network fault, as seen in the fault matrix, and the code each must get. */
class FailureClassifierTest {
    private final Target target = Target.parse("fake://user@db1:3306");

    private FailureClassifier.Failure classify(Throwable t) {
        return FailureClassifier.classify(t, target);
    }

    @Test
    void networkUnreachableIsUnreachableAndSaysNoRoute() {
        // ENETUNREACH: Jedis and Connector/J surface a SocketException, the JDK HttpClient a ConnectException
        for (Throwable t : new Throwable[] {new SocketException("Network is unreachable"),
                new ConnectException("Network is unreachable"), new NoRouteToHostException("No route to host"),
                new RuntimeException("Communications link failure", new SocketException("Network is unreachable (connect failed)"))}) {
            FailureClassifier.Failure f = classify(t);
            assertThat(f.code()).isEqualTo(ProbeErrors.UNREACHABLE);
            assertThat(f.reason()).startsWith("network unreachable: no route to db1:3306");
        }
    }

    @Test
    void refusedIsUnreachableAndSaysRefused() {
        // the JDK HttpClient puts a ClosedChannelException under a refused connect: that is not a reset
        FailureClassifier.Failure f = classify(new ConnectException(null) {
            {
                initCause(new ClosedChannelException());
            }
        });
        assertThat(f.code()).isEqualTo(ProbeErrors.UNREACHABLE);
        assertThat(f.reason()).startsWith("connection refused by db1:3306");
    }

    @Test
    void resetsInEveryShapeAreConnectionReset() {
        for (Throwable t : new Throwable[] {new SocketException("Connection reset"),
                new ConnectException("Connection reset by peer"), new IOException("Connection reset by peer"),
                new EOFException("Can not read response from server"), new SocketException("Broken pipe"),
                new SSLHandshakeException("Remote host terminated the handshake"),
                new IOException("Failed to create SSL connection", new SSLException("failure when writing TLS control frames",
                        new IOException("Connection reset by peer"))),
                // Vert.x, when the peer closes during the TLS handshake
                new IOException("Failed to create SSL connection", new SSLHandshakeException("Failed to create SSL connection") {
                    {
                        initCause(new ClosedChannelException());
                    }
                })}) {
            assertThat(classify(t).code()).as(t.toString()).isEqualTo(ProbeErrors.CONNECTION_RESET);
        }
    }

    @Test
    void aTlsHandshakeAnsweredInAnotherProtocolIsAProtocolError() {
        FailureClassifier.Failure f = classify(new SSLException("Unsupported or unrecognized SSL message"));
        assertThat(f.code()).isEqualTo(ProbeErrors.PROTOCOL_ERROR);
        assertThat(f.reason()).contains("does not speak TLS");
    }

    @Test
    void aProbeExceptionAnywhereInTheChainWins() {
        ProbeException p = new ProbeException(ProbeErrors.AUTH_FAILED, "denied", new SocketException("Connection reset"));
        assertThat(classify(new RuntimeException(p)).code()).isEqualTo(ProbeErrors.AUTH_FAILED);
    }

    @Test
    void suppressedSocketErrorsAreSeen() {
        RuntimeException wrapper = new RuntimeException("failed to connect to any host");
        wrapper.addSuppressed(new SocketException("Network is unreachable"));
        assertThat(classify(wrapper).code()).isEqualTo(ProbeErrors.UNREACHABLE);
    }
}
