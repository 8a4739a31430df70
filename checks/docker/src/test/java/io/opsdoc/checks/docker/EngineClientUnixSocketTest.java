package io.opsdoc.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's columns for {@code docker://}, which is a unix socket the TCP matrix cannot reach: no socket,
 * a stale socket file, a peer that never answers, one that answers garbage, one that hangs up. Each must be an
 * UNKNOWN with its probe-error code, within the deadline.
 */
class EngineClientUnixSocketTest {
    @TempDir
    Path dir;

    private ProbeException probe(Path socket, Duration timeout) {
        Target t = Target.parse("docker://" + socket);
        DockerDaemon check = new DockerDaemon();
        CheckContext c = new CheckContext(t, Optional.empty(), Parameters.resolve(check.id(), check.parameters(), Map.of()),
                Instant.now().plus(timeout));
        return catchThrowableOfType(() -> EngineClient.json(c, "/info"), ProbeException.class);
    }

    /** A peer on {@code socket} that does {@code with} to each connection, on a daemon thread. */
    private ServerSocketChannel peer(Path socket, Consumer<SocketChannel> with) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    with.accept(server.accept());
                }
            } catch (Exception e) {
                // closed: the test is over
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void noSocketIsUnreachableNamingThePath() {
        ProbeException e = probe(dir.resolve("docker.sock"), Duration.ofSeconds(2));
        assertThat(e.code()).isEqualTo(ProbeErrors.UNREACHABLE);
        assertThat(e.getMessage()).contains("no socket at", "docker.sock", "dockerd is not running");
    }

    @Test
    void aStaleSocketFileIsRefused() throws Exception {
        Path s = dir.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(s)).close();
        ProbeException e = probe(s, Duration.ofSeconds(2));
        assertThat(e.code()).isEqualTo(ProbeErrors.UNREACHABLE);
        assertThat(e.getMessage()).contains("refused");
    }

    @Test
    void aPeerThatNeverAnswersTimesOutWithinTheDeadline() throws Exception {
        Path s = dir.resolve("silent.sock");
        java.util.List<SocketChannel> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocketChannel server = peer(s, held::add)) {
            long t0 = System.nanoTime();
            ProbeException e = probe(s, Duration.ofMillis(1500));
            assertThat(e.code()).isEqualTo(ProbeErrors.TIMEOUT);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2500);
        }
    }

    @Test
    void garbageIsAProtocolError() throws Exception {
        Path s = dir.resolve("garbage.sock");
        try (ServerSocketChannel server = peer(s, ch -> {
            try (ch) {
                // reads the request first: a peer closing with unread data makes the kernel reset the unix socket
                ch.read(ByteBuffer.allocate(4096));
                ch.write(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n".getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception ignored) {
                // the client may be gone
            }
        })) {
            ProbeException e = probe(s, Duration.ofSeconds(2));
            assertThat(e.code()).isEqualTo(ProbeErrors.PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("not HTTP");
        }
    }

    @Test
    void aPeerThatHangsUpIsAReset() throws Exception {
        Path s = dir.resolve("hangup.sock");
        try (ServerSocketChannel server = peer(s, ch -> {
            try {
                ch.close();
            } catch (Exception ignored) {
                // nothing to do
            }
        })) {
            ProbeException e = probe(s, Duration.ofSeconds(2));
            assertThat(e.code()).isEqualTo(ProbeErrors.CONNECTION_RESET);
        }
    }

    @Test
    void aProxyRefusingTheReadIsPermissionDenied() throws Exception {
        Path s = dir.resolve("proxy.sock");
        try (ServerSocketChannel server = peer(s, ch -> {
            try (ch) {
                ch.read(ByteBuffer.allocate(4096));
                ch.write(ByteBuffer.wrap(("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n"
                        + "Connection: close\r\n\r\nForbidden").getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception ignored) {
                // the client may be gone
            }
        })) {
            ProbeException e = probe(s, Duration.ofSeconds(2));
            assertThat(e.code()).isEqualTo(ProbeErrors.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("403", "socket proxy");
        }
    }
}
