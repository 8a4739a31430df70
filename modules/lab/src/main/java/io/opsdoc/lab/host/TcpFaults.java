package io.opsdoc.lab.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/**
 * TCP faults on loopback, made of the lab's own sockets (kernel TCP, nothing simulated): a server that never closes
 * what its clients closed (CLOSE_WAIT), clients that close first again and again (TIME_WAIT toward one port), and a
 * listener with a backlog of 1 that never accepts while clients keep connecting (accept-queue overflow). Each returns
 * a handle that closes every socket it opened; TIME_WAIT entries then expire by themselves within 60 s.
 */
final class TcpFaults {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TcpFaults() {
    }

    /** {@code count} connections the clients closed and the server keeps open: CLOSE_WAIT on the server's port. */
    static AutoCloseable closeWait(int count) throws IOException {
        ServerSocket server = new ServerSocket(0, count + 10, LOOPBACK);
        List<Socket> accepted = new ArrayList<>();
        AutoCloseable close = () -> {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
                    accepted.add(server.accept());
                }
            }
            await(close, count + " CLOSE_WAIT sockets on port " + server.getLocalPort(),
                    () -> countSockets(server.getLocalPort(), true, "08") >= count);
        } catch (IOException | RuntimeException e) {
            closeQuietly(close);
            throw e;
        }
        return close;
    }

    /**
     * {@code count} connections to one server port that the client closes first: each leaves its ephemeral port in
     * TIME_WAIT toward that server for 60 s (returns once seven in eight are).
     */
    static AutoCloseable timeWait(int count) throws IOException {
        ServerSocket server = new ServerSocket(0, 200, LOOPBACK);
        int port = server.getLocalPort();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    in.readAllBytes(); // until the client's FIN, then close: the client closed first
                } catch (IOException e) {
                    // closed by the handle, or a client gone
                }
            }
        }, "lab-time-wait-server");
        acceptor.setDaemon(true);
        acceptor.start();
        AutoCloseable close = server::close;
        try {
            for (int i = 0; i < count; i++) {
                new Socket(LOOPBACK, port).close();
            }
            // Most, not all: on one full CI run (2026-12-04) fewer than 400 stayed in TIME_WAIT within 20 s, while every run
            // of the host tests alone kept all 400; the cause is not known yet (this kernel may reuse loopback TIME_WAIT
            // ports: tcp_tw_reuse=2). The scenario's threshold is 1% of the port range (283): seven in eight is far above.
            long enough = count * 7 / 8;
            java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
            try {
                await(close, enough + " of " + count + " TIME_WAIT sockets toward port " + port, () -> {
                    seen.set(countSockets(port, false, "06"));
                    return seen.get() >= enough;
                });
            } catch (RuntimeException e) {
                throw new IllegalStateException(count + " connections closed first toward port " + port + " left only "
                        + seen.get() + " in TIME_WAIT after 20 s; FIN_WAIT2 now: " + countSockets(port, false, "05")
                        + ", established: " + countSockets(port, false, "01"), e);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(close);
            throw e;
        }
        return close;
    }

    /**
     * A listener with a backlog of 1 that never calls accept(), and a client that opens a connection to it every
     * 50 ms (keeping the last 100): the accept queue fills at once and the kernel drops every further handshake,
     * counting TcpExt ListenOverflows, for as long as the handle is open.
     */
    static AutoCloseable acceptOverflow() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
        int port = server.getLocalPort();
        Deque<SocketChannel> clients = new ArrayDeque<>();
        Thread connector = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress(LOOPBACK, port));
                    synchronized (clients) {
                        clients.add(c);
                        if (clients.size() > 100) {
                            clients.removeFirst().close();
                        }
                    }
                    Thread.sleep(50);
                } catch (IOException e) {
                    // a refused or failed connect is part of the fault
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lab-accept-overflow-clients");
        connector.setDaemon(true);
        AutoCloseable close = () -> {
            server.close();
            connector.interrupt();
            connector.join(5000);
            synchronized (clients) {
                for (SocketChannel c : clients) {
                    c.close();
                }
                clients.clear();
            }
        };
        long before = listenOverflows();
        connector.start();
        await(close, "a full accept queue on port " + port + " and ListenOverflows rising",
                () -> countListenQueue(port) >= 2 && listenOverflows() > before);
        return close;
    }

    /** TcpExt ListenOverflows from /proc/net/netstat, as the check reads it. */
    static long listenOverflows() throws IOException {
        List<String> ext = Files.readAllLines(Path.of("/proc/net/netstat")).stream()
                .filter(l -> l.startsWith("TcpExt:")).toList();
        String[] names = ext.get(0).split("\\s+");
        String[] values = ext.get(1).split("\\s+");
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals("ListenOverflows")) {
                return Long.parseLong(values[i]);
            }
        }
        throw new IllegalStateException("no ListenOverflows in /proc/net/netstat");
    }

    /** Sockets in {@code state} (hex) whose local ({@code local}) or remote port is {@code port}, IPv4 and IPv6. */
    private static long countSockets(int port, boolean local, String state) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        long n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals(state) && f[local ? 1 : 2].endsWith(hexPort)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The accept-queue length (rx_queue of the LISTEN row) of the listener on {@code port}. */
    private static long countListenQueue(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 4 && f[3].equals("0A") && f[1].endsWith(hexPort)) {
                    return Long.parseLong(f[4].split(":")[1], 16);
                }
            }
        }
        return 0;
    }

    private static void await(AutoCloseable stop, String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (RuntimeException e) {
            closeQuietly(stop);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the caller's failure is what matters
        }
    }
}
