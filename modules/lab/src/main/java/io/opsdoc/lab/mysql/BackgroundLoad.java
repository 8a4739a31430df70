package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that keeps doing something to a lab server until closed: repeats a unit of work (statements on its own
 * connection, a login attempt) at a fixed pace in a daemon thread. Faults whose effect a check measures over a window
 * (slow queries, spilled binlog caches, failed logins) must happen while the check watches, so they are loads.
 */
final class BackgroundLoad implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundLoad.class);

    @FunctionalInterface
    interface Unit {
        void run() throws SQLException;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong done = new AtomicLong();
    private final Thread thread;
    private final AutoCloseable resource;

    private BackgroundLoad(String name, Unit unit, Duration pace, AutoCloseable resource) {
        this.resource = resource;
        this.thread = new Thread(() -> loop(unit, pace), "opsdoc-lab-load-" + name);
        thread.setDaemon(true);
    }

    /** Runs {@code statements} on {@code connection} over and over, {@code pace} apart; the connection is closed with the load. */
    static BackgroundLoad statements(String name, Connection connection, Duration pace, String... statements) {
        BackgroundLoad load = new BackgroundLoad(name, () -> Jdbc.execute(connection, statements), pace, connection);
        load.thread.start();
        return load;
    }

    /** Runs {@code unit} over and over, {@code pace} apart; each failure is the point of the load, not an error. */
    static BackgroundLoad attempts(String name, Duration pace, Unit unit) {
        BackgroundLoad load = new BackgroundLoad(name, unit, pace, null);
        load.thread.start();
        return load;
    }

    private void loop(Unit unit, Duration pace) {
        while (!stop.get()) {
            try {
                unit.run();
            } catch (SQLException e) {
                log.debug("load unit failed (expected for some loads): {}", e.getMessage());
            }
            done.incrementAndGet();
            try {
                Thread.sleep(pace.toMillis()); // pacing a client, not waiting for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How many units ran (successful or not). */
    long done() {
        return done.get();
    }

    @Override
    public void close() {
        if (!stop.compareAndSet(false, true)) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Jdbc.SOCKET_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                log.debug("closing the load's connection: {}", e.getMessage());
            }
        }
    }
}
