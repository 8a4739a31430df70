package io.opsdoc.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where checks get their protocol clients (a JDBC connection, a Kafka Admin). A one-shot {@code opsdoc check} uses
 * {@link #none()}: open, use, close. {@code opsdoc serve} keeps idle clients per target between scrapes, because
 * a Prometheus scrape every 15 s would otherwise pay TCP, TLS and authentication each time, and an Admin client
 * re-reads cluster metadata on start.
 *
 * <p>A client is reused only when it was returned healthy and in time; a check that saw any error on it calls
 * {@link Lease#broken()} and the client is closed, and so is one given back after its run's deadline. Clients idle
 * longer than the pool's limit are closed on the next lease, so a server's own idle timeout (MySQL wait_timeout,
 * broker connections.max.idle.ms) is never reached. Keys include a hash of the credential, never the credential, so a rotated password gets a fresh client.
 */
public abstract class ClientPool implements AutoCloseable {

    @FunctionalInterface
    public interface Opener<C> {
        C open() throws Exception;
    }

    @FunctionalInterface
    public interface Closer<C> {
        void close(C client) throws Exception;
    }

    /** A borrowed client. Close it to give it back; call {@link #broken()} first if it failed. */
    public abstract static class Lease<C> implements AutoCloseable {
        private final C client;
        private final boolean reused;
        private boolean broken;

        Lease(C client, boolean reused) {
            this.client = client;
            this.reused = reused;
        }

        public C client() {
            return client;
        }

        /** True when the client was opened by an earlier run: worth a cheap liveness test before trusting it. */
        public boolean reused() {
            return reused;
        }

        public void broken() {
            broken = true;
        }

        boolean isBroken() {
            return broken;
        }

        @Override
        public abstract void close();
    }

    /** A pool that keeps nothing: every lease opens a client and closing the lease closes it. */
    public static ClientPool none() {
        return NONE;
    }

    /** A pool that keeps up to {@code maxIdlePerKey} clients per target for {@code idle}. */
    public static ClientPool keeping(int maxIdlePerKey, Duration idle) {
        return new Keeping(maxIdlePerKey, idle);
    }

    public abstract <C> Lease<C> lease(String kind, CheckContext context, Opener<C> opener, Closer<C> closer) throws Exception;

    /** Clients idle in the pool now, for tests and metrics. */
    public abstract int idle();

    @Override
    public abstract void close();

    static String key(String kind, CheckContext context) {
        String secret = context.password().map(Secret::reveal).orElse("");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return kind + "\n" + context.target().display() + "\n" + context.target().query() + "\n" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void quietly(Closer<Object> closer, Object client) {
        try {
            closer.close(client);
        } catch (Exception e) {
            // closing a client that is being discarded: nothing to report
        }
    }

    private static final ClientPool NONE = new ClientPool() {
        @Override
        public <C> Lease<C> lease(String kind, CheckContext context, Opener<C> opener, Closer<C> closer) throws Exception {
            C c = opener.open();
            return new Lease<>(c, false) {
                @Override
                public void close() {
                    @SuppressWarnings("unchecked")
                    Closer<Object> any = (Closer<Object>) closer;
                    quietly(any, c);
                }
            };
        }

        @Override
        public int idle() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    private static final class Keeping extends ClientPool {
        private record Idle(Object client, Closer<Object> closer, long since) {
        }

        private final int maxIdle;
        private final long idleNanos;
        private final Map<String, Deque<Idle>> idle = new ConcurrentHashMap<>();
        private volatile boolean closed;

        Keeping(int maxIdle, Duration idleFor) {
            this.maxIdle = maxIdle;
            this.idleNanos = idleFor.toNanos();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <C> Lease<C> lease(String kind, CheckContext context, Opener<C> opener, Closer<C> closer) throws Exception {
            evictExpired();
            String key = key(kind, context);
            Deque<Idle> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
            Idle found;
            synchronized (q) {
                found = q.pollFirst();
            }
            C client = found != null ? (C) found.client() : opener.open();
            Closer<Object> any = (Closer<Object>) closer;
            java.time.Instant deadline = context.deadline();
            return new Lease<>(client, found != null) {
                @Override
                public void close() {
                    // Given back after its run's deadline, the client belonged to a run that timed out or was
                    // interrupted: a request may still be in flight on it (an interrupted KafkaFuture.get, a read the
                    // check gave up on), so it is closed rather than handed to the next scrape.
                    if (isBroken() || closed || java.time.Instant.now().isAfter(deadline)) {
                        quietly(any, client);
                        return;
                    }
                    boolean kept = false;
                    synchronized (q) {
                        if (q.size() < maxIdle) {
                            q.addFirst(new Idle(client, any, System.nanoTime()));
                            kept = true;
                        }
                    }
                    if (!kept) {
                        quietly(any, client);
                    }
                }
            };
        }

        private void evictExpired() {
            long now = System.nanoTime();
            for (Deque<Idle> q : idle.values()) {
                synchronized (q) {
                    q.removeIf(i -> {
                        if (now - i.since() > idleNanos) {
                            quietly(i.closer(), i.client());
                            return true;
                        }
                        return false;
                    });
                }
            }
        }

        @Override
        public int idle() {
            return idle.values().stream().mapToInt(q -> {
                synchronized (q) {
                    return q.size();
                }
            }).sum();
        }

        @Override
        public void close() {
            closed = true;
            for (Deque<Idle> q : idle.values()) {
                synchronized (q) {
                    q.forEach(i -> quietly(i.closer(), i.client()));
                    q.clear();
                }
            }
        }
    }
}
