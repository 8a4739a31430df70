package io.opsdoc.lab.host;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Datagrams of a fixed size sent to a peer's port at a steady pace until closed: traffic a fault needs to be dropped
 * (by a firewall rule, by a too-small MTU) for a counter to rise by construction, whatever the machine's load.
 */
final class UdpSender implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    private UdpSender(DatagramSocket socket, Thread thread) {
        this.socket = socket;
        this.thread = thread;
    }

    /** Starts sending {@code size}-byte datagrams from {@code socket} to {@code peer:port} every {@code paceMillis}. */
    static UdpSender start(String name, DatagramSocket socket, InetAddress peer, int port, int size, long paceMillis) {
        Thread t = new Thread(() -> {
            byte[] payload = new byte[size];
            while (!socket.isClosed()) {
                try {
                    socket.send(new DatagramPacket(payload, payload.length, peer, port));
                    Thread.sleep(paceMillis);
                } catch (IOException e) {
                    // closed by close(), or a send refused locally: no reason to stop the fault
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return new UdpSender(socket, t);
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.interrupt();
        thread.join(5000);
    }
}
