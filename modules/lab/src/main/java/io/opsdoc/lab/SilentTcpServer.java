package io.opsdoc.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A black hole on loopback: completes the TCP handshake, accepts every connection and never sends a byte.
 * Models a server that is "up" at the network level but hung, so clients must rely on their own timeouts.
 */
public final class SilentTcpServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    // held open on purpose: closing them would send FIN and tell the client something
    private final List<Socket> acceptedSockets = new ArrayList<>();

    private SilentTcpServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        this.acceptor = new Thread(this::acceptForever, "opsdoc-lab-silent-tcp-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    public static SilentTcpServer start() {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(Ports.loopback(), 0), 50);
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
        SilentTcpServer server = new SilentTcpServer(socket);
        server.acceptor.start();
        return server;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** How many connections were accepted so far. */
    public int acceptedConnections() {
        synchronized (acceptedSockets) {
            return acceptedSockets.size();
        }
    }

    private void acceptForever() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                synchronized (acceptedSockets) {
                    acceptedSockets.add(socket);
                }
            } catch (IOException e) {
                // accept() fails once close() closed the server socket; the loop condition then ends it
            }
        }
    }

    /**
     * Closes the connections accepted so far and forgets them, and goes on accepting: a lab shared by many scenarios
     * heals its black hole this way instead of piling up one socket per probe that gave up on it.
     */
    public void closeAcceptedConnections() {
        synchronized (acceptedSockets) {
            for (Socket socket : acceptedSockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the peer may have gone already
                }
            }
            acceptedSockets.clear();
        }
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed or never fully open: nothing left to release
        }
        closeAcceptedConnections();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
