package io.opsdoc.lab.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A loopback TCP server that misbehaves in one fixed way, for fault tests of every check: it speaks garbage,
 * resets every connection, or rejects whatever the client says with one canned reply. (A server that accepts
 * and never answers is {@link io.opsdoc.lab.SilentTcpServer}.)
 */
public final class FaultyTcpServer implements AutoCloseable {

    /** How each accepted connection is mistreated. */
    public enum Behaviour {
        /** Seeded random bytes, streamed until the client hangs up: a port owned by some other protocol. */
        GARBAGE,
        /** Accepted, then closed at once with SO_LINGER 0, so the client gets a TCP RST: a crashing or filtering peer. */
        RESET,
        /** Answers each chunk the client sends with {@link #reply}: a protocol-level rejection (bad password, ...). */
        CANNED_REPLY
    }

    // more than any 3-byte length prefix (MySQL) can claim, so a client waiting for a "complete" packet gets one;
    // bounded so a client that keeps reading cannot keep this thread busy forever
    private static final long GARBAGE_LIMIT = (16L << 20) + (64 << 10);

    private final ServerSocket serverSocket;
    private final Behaviour behaviour;
    private final byte[] greeting;
    private final byte[] reply;
    private final Thread acceptor;
    private final List<Socket> open = new ArrayList<>();
    private int accepted;

    private FaultyTcpServer(ServerSocket serverSocket, Behaviour behaviour, byte[] greeting, byte[] reply) {
        this.serverSocket = serverSocket;
        this.behaviour = behaviour;
        this.greeting = greeting;
        this.reply = reply;
        this.acceptor = new Thread(this::acceptForever, "opsdoc-lab-faulty-tcp-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    public static FaultyTcpServer garbage() {
        return start(Behaviour.GARBAGE, new byte[0], new byte[0]);
    }

    public static FaultyTcpServer reset() {
        return start(Behaviour.RESET, new byte[0], new byte[0]);
    }

    /** Answers every chunk a client sends with {@code reply} (e.g. a Redis {@code -WRONGPASS} error line). */
    public static FaultyTcpServer cannedReply(String reply) {
        return start(Behaviour.CANNED_REPLY, new byte[0], reply.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code greeting} on connect (protocols where the server speaks first), then answers like {@link #cannedReply}. */
    public static FaultyTcpServer greetingThenReply(byte[] greeting, byte[] reply) {
        return start(Behaviour.CANNED_REPLY, greeting.clone(), reply.clone());
    }

    private static FaultyTcpServer start(Behaviour behaviour, byte[] greeting, byte[] reply) {
        ServerSocket socket;
        try {
            socket = new ServerSocket();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a server socket", e);
        }
        try {
            socket.bind(new InetSocketAddress(loopback(), 0), 50);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
        FaultyTcpServer server = new FaultyTcpServer(socket, behaviour, greeting, reply);
        server.acceptor.start();
        return server;
    }

    private static InetAddress loopback() throws UnknownHostException {
        // explicit IPv4, like the other lab servers: getLoopbackAddress() may answer ::1
        return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /** How many connections were accepted so far: proves the fault was actually exercised. */
    public synchronized int acceptedConnections() {
        return accepted;
    }

    private void acceptForever() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                continue; // close() closed the server socket; the loop condition ends it
            }
            synchronized (this) {
                accepted++;
                open.add(socket);
            }
            if (behaviour == Behaviour.RESET) {
                resetNow(socket);
            } else {
                Thread t = new Thread(() -> serve(socket), "opsdoc-lab-faulty-conn-" + socket.getPort());
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void resetNow(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // the client may have gone first: it saw the end of the connection either way
        }
    }

    private void serve(Socket socket) {
        try {
            if (behaviour == Behaviour.GARBAGE) {
                streamGarbage(socket.getOutputStream());
            } else {
                answerEveryChunk(socket.getInputStream(), socket.getOutputStream());
            }
        } catch (IOException ignored) {
            // the client hung up, which is what a client facing a broken server should do
        }
    }

    private static void streamGarbage(OutputStream out) throws IOException {
        Random random = new Random(0x0b5d0cL); // fixed: the same garbage every run, so a cell cannot flake
        byte[] chunk = new byte[16 * 1024];
        for (long sent = 0; sent < GARBAGE_LIMIT; sent += chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk);
            out.flush();
        }
        // then silence with the socket left open: closing it would turn garbage into a cleaner "connection closed"
    }

    private void answerEveryChunk(InputStream in, OutputStream out) throws IOException {
        out.write(greeting);
        out.flush();
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            out.write(reply);
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed: nothing left to release
        }
        synchronized (this) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the peer may have gone already
                }
            }
            open.clear();
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
