package io.opsdoc.lab.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for the RabbitMQ nodes, below the kernel's ephemeral range (32768 and up). */
final class LowPorts {
    private LowPorts() {
    }

    /**
     * {@code count} free loopback ports below the ephemeral range: a port a node gives up on stop_app is then never
     * taken by an outgoing connection before the node binds it again (seen here: eaddrinuse on start_app).
     */
    static int[] free(int count) {
        Set<Integer> chosen = new HashSet<>();
        int[] out = new int[count];
        int i = 0;
        while (i < count) {
            int p = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (chosen.add(p) && bindable(p)) {
                out[i++] = p;
            }
        }
        return out;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
