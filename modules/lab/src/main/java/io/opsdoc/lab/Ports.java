package io.opsdoc.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports for lab servers and for "nothing is there" faults. */
public final class Ports {

    /** A socket bound to the closed port for the JVM's lifetime, never listening. */
    private static Socket closedPortHolder;

    private Ports() {}

    static InetAddress loopback() {
        try {
            // explicit IPv4: the lab servers bind 127.0.0.1 only, and getLoopbackAddress() may answer ::1
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback port that was free a moment ago; whoever binds it next wins. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /** Distinct free loopback ports: all are held open together so none is handed out twice. */
    public static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(loopback(), 0), 1);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        } finally {
            for (ServerSocket socket : held) {
                closeQuietly(socket);
            }
        }
    }

    /**
     * A loopback port nothing listens on, so a connect is refused at once (TCP RST). The port stays bound
     * (without listening, without SO_REUSEADDR) by this JVM, so no other server can take it meanwhile.
     * The same port is returned for the life of the JVM.
     */
    public static synchronized int closedPort() {
        if (closedPortHolder == null) {
            Socket holder = new Socket();
            try {
                holder.setReuseAddress(false);
                holder.bind(new InetSocketAddress(loopback(), 0));
            } catch (IOException e) {
                closeQuietly(holder);
                throw new UncheckedIOException("cannot reserve a closed loopback port", e);
            }
            closedPortHolder = holder;
        }
        return closedPortHolder.getLocalPort();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful to do: the port is released either way
        }
    }
}
