package io.opsdoc.lab.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opsdoc.lab.SilentTcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The servers behind the lab's nginx and HAProxy, in this JVM: two applications that can be stopped and started on
 * their ports (a crashed or stopped upstream), one that holds every request until released (a slow upstream), one
 * that accepts and never answers (a hung upstream) and one that reads the request and hangs up (an upstream that
 * crashes mid-request).
 */
final class EdgeBackends implements AutoCloseable {
    final App appA;
    final App appB;
    final Slow slow;
    final SilentTcpServer silent;
    final Closer closer;

    EdgeBackends() {
        appA = App.start("app-a", 0);
        appB = App.start("app-b", 0);
        slow = new Slow();
        silent = SilentTcpServer.start();
        closer = new Closer();
    }

    @Override
    public void close() {
        appA.stop();
        appB.stop();
        slow.close();
        silent.close();
        closer.close();
    }

    /** An application answering 200 on every path, stoppable and restartable on the same port. */
    static final class App {
        private final String name;
        private final int port;
        private HttpServer server;

        private App(String name, int port) {
            this.name = name;
            this.port = port;
        }

        static App start(String name, int port) {
            HttpServer s = create(name, port);
            App app = new App(name, s.getAddress().getPort());
            app.server = s;
            return app;
        }

        private static HttpServer create(String name, int port) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                s.createContext("/", ex -> reply(ex, 200, name + " ok\n"));
                s.setExecutor(Executors.newFixedThreadPool(4, daemon(name)));
                s.start();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " on port " + port, e);
            }
        }

        int port() {
            return port;
        }

        synchronized boolean running() {
            return server != null;
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
                ((ExecutorService) server.getExecutor()).shutdownNow();
                server = null;
            }
        }

        synchronized void startAgain() {
            if (server == null) {
                server = create(name, port);
            }
        }
    }

    /** Holds every request while {@link #hold()} is on (the default; at most 60 s each), 32 at a time. */
    static final class Slow implements AutoCloseable {
        private final HttpServer server;
        private final Object lock = new Object();
        private boolean holding = true;
        private int inFlight;

        Slow() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", ex -> {
                synchronized (lock) {
                    inFlight++;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    try {
                        while (holding && System.nanoTime() < end) {
                            lock.wait(1000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight--;
                    }
                }
                reply(ex, 200, "slow ok\n");
            });
            server.setExecutor(Executors.newFixedThreadPool(32, daemon("slow")));
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        int inFlight() {
            synchronized (lock) {
                return inFlight;
            }
        }

        /** Requests from now on wait. */
        void hold() {
            synchronized (lock) {
                holding = true;
            }
        }

        /** Every waiting request and every later one is answered at once. */
        void open() {
            synchronized (lock) {
                holding = false;
                lock.notifyAll();
            }
        }

        @Override
        public void close() {
            open();
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** Accepts, reads the request's first bytes, and closes without a response. */
    static final class Closer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        Closer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this::run, "edge-lab-closer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(2000);
                    InputStream in = s.getInputStream();
                    in.read(new byte[4096]);
                } catch (SocketException e) {
                    return; // closed
                } catch (IOException e) {
                    // a client that went away: next
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "edge-lab-" + name);
            t.setDaemon(true);
            return t;
        };
    }
}
