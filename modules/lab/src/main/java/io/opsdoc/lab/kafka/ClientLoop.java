package io.opsdoc.lab.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lab client (consumer or producer) running a loop on a daemon thread until closed. */
final class ClientLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientLoop.class);

    interface Body {
        /** One iteration; called until the loop is closed. */
        void step(ClientLoop loop) throws Exception;
    }

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final Runnable onStop;

    private ClientLoop(String name, Body body, Runnable setUp, Runnable onStop, Runnable tearDown) {
        this.name = name;
        this.onStop = onStop;
        this.thread = new Thread(() -> {
            try {
                setUp.run();
                while (running.get()) {
                    body.step(this);
                }
            } catch (Throwable t) {
                if (running.get()) {
                    failure.set(t);
                    log.warn("lab client {} failed", name, t);
                }
            } finally {
                tearDown.run();
            }
        }, "opsdoc-lab-" + name);
        thread.setDaemon(true);
    }

    static ClientLoop start(String name, Runnable setUp, Body body, Runnable onStop, Runnable tearDown) {
        ClientLoop loop = new ClientLoop(name, body, setUp, onStop, tearDown);
        loop.thread.start();
        return loop;
    }

    boolean running() {
        return running.get();
    }

    Throwable failure() {
        return failure.get();
    }

    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Override
    public void close() {
        running.set(false);
        onStop.run();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("lab client {} did not stop within 15 s", name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
