package io.opsdoc.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix's columns for docker+tcp with TLS (the matrix itself runs docker+tcp in the clear): a peer that
 * accepts and says nothing, one that answers in plain HTTP, one that resets, a closed port. Each is an UNKNOWN with
 * its probe-error code within the deadline, never a client-certificate verdict the peer did not give.
 */
class EngineTlsFaultsTest {
    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private ProbeException probe(int port, Duration timeout) {
        EngineEndpoint e = new EngineEndpoint(InetSocketAddress.createUnresolved("127.0.0.1", port), "127.0.0.1:" + port,
                false, new EngineEndpoint.Tls(null, null, null));
        Instant start = Instant.now();
        ProbeException ex = catchThrowableOfType(() -> EngineClient.get(e, "/info", start.plus(timeout)), ProbeException.class);
        assertThat(Duration.between(start, Instant.now())).isLessThan(timeout.plusSeconds(2));
        return ex;
    }

    private int peer(Consumer<Socket> with) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    with.accept(server.accept());
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    @Test
    void silentPeerIsATimeout() throws IOException {
        int port = peer(s -> { });
        assertThat(probe(port, Duration.ofMillis(800)).code()).isEqualTo(ProbeErrors.TIMEOUT);
    }

    @Test
    void plainHttpIsAProtocolError() throws IOException {
        int port = peer(s -> {
            try (s) {
                s.getInputStream().read(new byte[512]);
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client went away
            }
        });
        ProbeException e = probe(port, Duration.ofSeconds(5));
        assertThat(e.code()).isEqualTo(ProbeErrors.PROTOCOL_ERROR);
        assertThat(e.getMessage()).contains("does not speak TLS", "drop the TLS options");
    }

    @Test
    void resetIsAConnectionReset() throws IOException {
        int port = peer(s -> {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // closed anyway
            }
        });
        assertThat(probe(port, Duration.ofSeconds(5)).code()).isEqualTo(ProbeErrors.CONNECTION_RESET);
    }

    @Test
    void closedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(probe(port, Duration.ofSeconds(5)).code()).isEqualTo(ProbeErrors.UNREACHABLE);
    }
}
