package io.opsdoc.lab.flume;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The next hop the agent's avro sink delivers to: a TCP relay in the lab's JVM in front of the agent's own avro
 * source, so the lab can take the next hop away as a downstream agent that crashed would be ({@link #refuse()}:
 * the open connections are cut and new ones are refused with a TCP reset) and bring it back ({@link #accept()}).
 * While refusing, the port stays bound by a socket that does not listen, so no other process can take it.
 */
final class NextHop implements AutoCloseable {
    private final int port;
    private volatile InetSocketAddress upstream;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket listener;
    private Socket placeholder;
    /** True while refusing by resetting every connection (the port could not be held without listening). */
    private boolean resetting;
    private boolean closed;

    /** Binds a loopback port now, before any external process picks its own ports; relays once told where to. */
    NextHop() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), 0), 50);
            this.port = s.getLocalPort();
            start(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Flume lab's next hop", e);
        }
    }

    /** Where accepted connections go: the agent's avro source (its port is picked after this one is bound). */
    void relayTo(int upstreamPort) {
        try {
            upstream = new InetSocketAddress(loopback(), upstreamPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    synchronized boolean refusing() {
        return listener == null || resetting;
    }

    /**
     * Cuts every open connection and refuses new ones until {@link #accept()}. The port is held by a bound socket
     * that does not listen (connects get a TCP reset: "connection refused"); if the kernel will not let it bind at
     * once (the cut connections are still closing), it is retried for a few seconds, and should another process have
     * taken the port meanwhile, the relay keeps listening and resets every connection instead.
     */
    synchronized void refuse() {
        if (listener == null || resetting) {
            return;
        }
        ServerSocket old = listener;
        listener = null;
        closeQuietly(old);
        open.forEach(NextHop::closeQuietly);
        open.clear();
        IOException last = null;
        long until = System.nanoTime() + 3_000_000_000L;
        do {
            Socket s = new Socket();
            try {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(loopback(), port));
                placeholder = s;
                return;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
            }
            try {
                Thread.sleep(100); // waiting for the kernel to release the port: nothing to await but a retry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < until);
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), port), 50);
            resetting = true;
            listener = s;
            Thread t = new Thread(() -> resetLoop(s), "flume-lab-next-hop-reset");
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            e.addSuppressed(last);
            throw new UncheckedIOException("cannot hold the next hop's port " + port + " while refusing", e);
        }
    }

    /** Every connection is reset at once (SO_LINGER 0): the sink's deliveries fail as they would on a refusal. */
    private static void resetLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try (Socket in = s.accept()) {
                in.setSoLinger(true, 0);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Relays again, on the same port. */
    synchronized void accept() {
        if (listener != null && !resetting || closed) {
            return;
        }
        if (resetting) {
            closeQuietly(listener);
            listener = null;
            resetting = false;
        }
        closeQuietly(placeholder);
        placeholder = null;
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), port), 50);
            start(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the next hop's port " + port + " again", e);
        }
    }

    private void start(ServerSocket s) {
        listener = s;
        Thread t = new Thread(() -> acceptLoop(s), "flume-lab-next-hop");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket in;
            try {
                in = s.accept();
            } catch (IOException e) {
                return; // refused or closed
            }
            Thread t = new Thread(() -> relay(s, in), "flume-lab-next-hop-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Connects the accepted connection to the agent's avro source. At the agent's start its avro sink connects a
     * moment before its avro source has bound: the relay waits for it (up to 10 s) rather than refusing, which would
     * cost the sink a 5 s back-off.
     */
    private void relay(ServerSocket s, Socket in) {
        Socket out = null;
        long until = System.nanoTime() + 10_000_000_000L;
        while (out == null) {
            Socket attempt = new Socket();
            try {
                if (upstream == null) {
                    throw new IOException("no upstream yet");
                }
                attempt.connect(upstream, 2_000);
                out = attempt;
            } catch (IOException e) {
                closeQuietly(attempt);
                if (System.nanoTime() > until || s.isClosed()) {
                    closeQuietly(in);
                    return;
                }
                try {
                    Thread.sleep(100); // polling a port that is not bound yet: nothing to await but the bind
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    closeQuietly(in);
                    return;
                }
            }
        }
        synchronized (this) {
            if (listener != s) {
                closeQuietly(in);
                closeQuietly(out);
                return;
            }
            open.add(in);
            open.add(out);
        }
        pump(in, out);
        pump(out, in);
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException e) {
                // one side went away: the other is closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "flume-lab-next-hop-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(listener);
        listener = null;
        closeQuietly(placeholder);
        placeholder = null;
        open.forEach(NextHop::closeQuietly);
        open.clear();
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // it is being thrown away either way
        }
    }
}
