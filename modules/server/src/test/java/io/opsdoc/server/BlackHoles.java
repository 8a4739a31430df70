package io.opsdoc.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hung servers on loopback: each port accepts connections and never sends a byte, but closes its end when the client
 * closes. Unlike the lab's SilentTcpServer it keeps no socket the client gave up, so the test JVM's descriptor count
 * shows only what opsdoc holds, and {@link #open()} says how many connections opsdoc still has to the targets.
 */
final class BlackHoles implements AutoCloseable {
    private final Selector selector;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.Map<Integer, AtomicInteger> openByPort = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;

    BlackHoles(int ports) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < ports; i++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress("127.0.0.1", 0), 512);
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
            servers.add(s);
        }
        loop = new Thread(this::run, "test-black-holes");
        loop.setDaemon(true);
        loop.start();
    }

    int port(int i) {
        return servers.get(i).socket().getLocalPort();
    }

    /** Connections accepted and not yet closed by the client. */
    int open() {
        return open.get();
    }

    /** Open connections by port, for a failure message that names the client that kept one. */
    String openByPort() {
        return openByPort.toString();
    }

    int accepted() {
        return accepted.get();
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (!closed) {
            try {
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = ((ServerSocketChannel) k.channel()).accept()) != null) {
                            c.configureBlocking(false);
                            int port = ((ServerSocketChannel) k.channel()).socket().getLocalPort();
                            c.register(selector, SelectionKey.OP_READ, port);
                            openByPort.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
                            open.incrementAndGet();
                            accepted.incrementAndGet();
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        int n;
                        try {
                            sink.clear();
                            n = c.read(sink); // what the client sends is swallowed: the server is hung, not deaf
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            k.cancel();
                            c.close();
                            openByPort.get((Integer) k.attachment()).decrementAndGet();
                            open.decrementAndGet();
                        }
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        selector.wakeup();
        loop.join(2_000);
        for (SelectionKey k : selector.keys()) {
            k.channel().close();
        }
        selector.close();
    }
}
