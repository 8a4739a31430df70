package io.opsdoc.lab.memcached;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** A lab client repeating one step on a thread of its own until closed (the fault's handle). */
final class ClientLoop implements AutoCloseable {
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface ConnectionStep {
        void run(OutputStream out, InputStream in) throws Exception;
    }

    private final Thread thread;
    private volatile boolean stop;
    private volatile Socket socket;

    private ClientLoop(String name, Step step) {
        thread = new Thread(() -> {
            while (!stop) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (stop) {
                        return;
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    static ClientLoop start(String name, Step step) {
        ClientLoop loop = new ClientLoop(name, step);
        loop.thread.start();
        return loop;
    }

    /** Repeats {@code step} on one connection, reconnecting if it breaks. */
    static ClientLoop withConnection(String name, MemcachedLab lab, ConnectionStep step) {
        ClientLoop[] self = new ClientLoop[1];
        Object[] io = new Object[2];
        self[0] = start(name, () -> {
            if (self[0] == null || self[0].socket == null || self[0].socket.isClosed()) {
                if (self[0] == null) {
                    Thread.sleep(10);
                    return;
                }
                Socket s = lab.connect(2_000);
                s.setSoTimeout(10_000);
                self[0].socket = s;
                io[0] = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                io[1] = s.getInputStream();
            }
            try {
                step.run((OutputStream) io[0], (InputStream) io[1]);
            } catch (IOException e) {
                self[0].socket.close();
                throw e;
            }
        });
        return self[0];
    }

    @Override
    public void close() throws Exception {
        stop = true;
        thread.interrupt();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
