package io.opsdoc.lab.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * The clients a fault keeps running or holds open (an application that keeps writing, idle connections filling
 * maxclients, a blocked consumer): a fault registers them here, healing closes them all, which ends the fault.
 */
final class BackgroundClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundClients.class);

    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();

    /** Keeps {@code c} until the next {@link #close()}; returns it. */
    <C extends AutoCloseable> C keep(C c) {
        running.add(c);
        return c;
    }

    /** A daemon thread that runs {@code step} (prepared once by {@code setup}) again and again until healed. */
    void loop(String name, Loop.Setup setup) {
        keep(new Loop(name, setup)).start();
    }

    /** Closes every client and loop; the servers they touched are restarted by whoever heals. */
    @Override
    public void close() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing a background client", e);
            }
        }
        running.clear();
    }

    /** Connections a fault holds open; closing them ends the fault. */
    static final class HeldConnections implements AutoCloseable {
        private final List<Jedis> connections = new CopyOnWriteArrayList<>();

        Jedis add(Jedis j) {
            connections.add(j);
            return j;
        }

        @Override
        public void close() {
            for (Jedis j : connections) {
                try {
                    j.close();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
    }

    /** A daemon thread running one step again and again until closed; a failing step ends the loop quietly. */
    static final class Loop implements AutoCloseable {
        interface Setup {
            Step open() throws Exception;
        }

        interface Step {
            void run() throws Exception;
        }

        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Loop(String name, Setup setup) {
            this.thread = new Thread(() -> {
                try {
                    Step step = setup.open();
                    while (!stop.get()) {
                        step.run();
                    }
                } catch (Exception e) {
                    if (!stop.get()) {
                        log.debug("lab loop {} ended: {}", name, e.toString());
                    }
                }
            }, "opsdoc-redis-lab-" + name);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void close() {
            stop.set(true);
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
