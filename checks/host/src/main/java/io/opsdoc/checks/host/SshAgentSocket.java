package io.opsdoc.checks.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The keys of a running ssh-agent (OpenSSH's agent protocol over its unix socket), so that a host check can log in
 * with a key that never leaves the agent. MINA SSHD's own unix-socket agent client needs Tomcat's native APR library;
 * the JDK has unix-domain sockets since 16, so this is the transport alone: MINA's {@link AbstractAgentProxy} encodes
 * the messages. Every exchange is bounded by the deadline given, like any other network call of a check.
 */
final class SshAgentSocket extends AbstractAgentProxy {
    /** The agent's answers are a few KiB at most (the identities list); anything bigger is not an agent. */
    private static final int MAX_ANSWER = 256 * 1024;
    private final Path socket;
    private final long deadlineNanos;

    private SshAgentSocket(Path socket, Duration timeout) {
        super(null);
        this.socket = socket;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** A factory for MINA's client: one agent connection per authentication, no agent forwarding (never offered). */
    static SshAgentFactory factory(Path socket, Duration timeout) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of();
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) {
                return new SshAgentSocket(socket, timeout);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("opsdoc never forwards an agent");
            }
        };
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    protected synchronized Buffer request(Buffer message) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(message.array(), message.rpos(), message.available());
            while (out.hasRemaining()) {
                await(channel, selector, SelectionKey.OP_WRITE);
                channel.write(out);
            }
            ByteBuffer length = read(channel, selector, ByteBuffer.allocate(4));
            int size = length.getInt(0);
            if (size <= 0 || size > MAX_ANSWER) {
                throw new IOException("the SSH agent at " + socket + " answered a " + size + "-byte message");
            }
            return new ByteArrayBuffer(read(channel, selector, ByteBuffer.allocate(size)).array());
        }
    }

    private ByteBuffer read(SocketChannel channel, Selector selector, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            await(channel, selector, SelectionKey.OP_READ);
            if (channel.read(into) < 0) {
                throw new IOException("the SSH agent at " + socket + " closed the connection mid-answer");
            }
        }
        return into;
    }

    private void await(SocketChannel channel, Selector selector, int op) throws IOException {
        long left = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
        SelectionKey key = channel.register(selector, op);
        if (left <= 0 || selector.select(left) == 0) {
            throw new IOException("the SSH agent at " + socket + " did not answer before the deadline");
        }
        selector.selectedKeys().clear();
        key.interestOps(0);
    }
}
