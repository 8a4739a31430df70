package io.opsdoc.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Admission for probes: at most {@code maxProbes} run at once, at most {@code perTarget} against one server, and the
 * rest wait in a bounded queue per server, for no longer than their own deadline.
 *
 * <p>Why a queue per server and round-robin between them: a hung server's scrapes pile up behind its own slots, and
 * when a global slot frees, the next server in turn gets it, not the oldest request; so twenty hung servers cannot
 * starve the healthy one that asked once. Waiting costs no thread (the HTTP request is asynchronous), so the queue
 * bounds memory and connections, and the deadline bounds the wait: a probe that cannot start in time is answered as
 * rejected at once, not late.
 */
final class ProbeScheduler implements AutoCloseable {
    /** Less time than this left is not worth starting a check: it would only report a timeout. */
    static final long MIN_START_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * @param maxProbes          probes running at once, over all targets (each holds a thread and usually a connection)
     * @param perTarget          probes running at once against one server
     * @param maxQueued          probes waiting for a slot, over all targets
     * @param maxQueuedPerTarget probes waiting for a slot of one server
     */
    record Limits(int maxProbes, int perTarget, int maxQueued, int maxQueuedPerTarget) {
        static final int DEFAULT_MAX_PROBES = 64;
        static final int DEFAULT_MAX_QUEUED = 1024;
        static final int DEFAULT_MAX_QUEUED_PER_TARGET = 64;

        Limits {
            if (maxProbes < 1 || perTarget < 1 || maxQueued < 0 || maxQueuedPerTarget < 0) {
                throw new IllegalArgumentException("probe limits must be positive");
            }
        }
    }

    /** Why a probe was answered without running; {@code label} is the {@code reason} label of the metrics. */
    enum Reason {
        QUEUE_FULL("queue_full"), DEADLINE("deadline");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    record Rejection(Reason reason, String why) {
    }

    private enum State { WAITING, RUNNING, DONE }

    /** One probe's place: waiting for a slot, holding one, or done. */
    final class Ticket {
        private final Lane lane;
        private final long deadline;
        private final Consumer<Ticket> start;
        private final Consumer<Rejection> reject;
        private final long queuedAt = System.nanoTime();
        private State state = State.WAITING;
        private ScheduledFuture<?> timer;

        private Ticket(Lane lane, long deadline, Consumer<Ticket> start, Consumer<Rejection> reject) {
            this.lane = lane;
            this.deadline = deadline;
            this.start = start;
            this.reject = reject;
        }

        /** Gives the slot back; call it once, when the probe's thread has let go of the check. */
        void release() {
            List<Ticket> go;
            List<Ticket> late = new ArrayList<>();
            synchronized (ProbeScheduler.this) {
                if (state != State.RUNNING) {
                    return;
                }
                state = State.DONE;
                running--;
                lane.running--;
                if (!lane.waiting.isEmpty()) {
                    ready(lane);
                }
                forget(lane);
                go = drain(late);
            }
            launch(go, late);
        }

        /** Takes a waiting probe out of the queue (its scraper left); false when it already started or ended. */
        boolean withdraw() {
            synchronized (ProbeScheduler.this) {
                if (state != State.WAITING) {
                    return false;
                }
                state = State.DONE;
                lane.waiting.remove(this);
                queued--;
                forget(lane);
            }
            if (timer != null) {
                timer.cancel(false);
            }
            return true;
        }
    }

    private static final class Lane {
        final String key;
        final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
        int running;
        boolean inReady;

        Lane(String key) {
            this.key = key;
        }
    }

    private final Limits limits;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Servers with a probe waiting and a free slot of their own, in turn: each gets the next global slot once per round. */
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final ScheduledExecutorService timers;
    private int running;
    private int queued;

    ProbeScheduler(Limits limits) {
        this.limits = limits;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "opsdoc-probe-deadlines");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
    }

    Limits limits() {
        return limits;
    }

    synchronized int running() {
        return running;
    }

    synchronized int queued() {
        return queued;
    }

    /**
     * Runs {@code start} (on this thread or, later, on the thread that frees a slot) when the probe may run, with the
     * ticket to {@link Ticket#release()} when done; or
     * {@code reject} when it cannot start before {@code deadline} ({@link System#nanoTime()}) or the queue is full.
     * Neither is called while a lock is held; exactly one of them is called, unless the ticket is withdrawn first.
     */
    Ticket submit(String server, long deadline, Consumer<Ticket> start, Consumer<Rejection> reject) {
        Ticket t;
        Rejection refused = null;
        List<Ticket> go = List.of();
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(server, Lane::new);
            t = new Ticket(lane, deadline, start, reject);
            if (lane.running < limits.perTarget() && running < limits.maxProbes() && lane.waiting.isEmpty()) {
                t.state = State.RUNNING;
                lane.running++;
                running++;
                go = List.of(t);
            } else if (lane.waiting.size() >= limits.maxQueuedPerTarget()) {
                refused = new Rejection(Reason.QUEUE_FULL, lane.waiting.size() + " probes of this server already wait for its "
                        + limits.perTarget() + " slots (--max-queued-per-target " + limits.maxQueuedPerTarget() + ")");
            } else if (queued >= limits.maxQueued()) {
                refused = new Rejection(Reason.QUEUE_FULL, queued + " probes already wait for a slot (--max-queued "
                        + limits.maxQueued() + ")");
            } else {
                lane.waiting.addLast(t);
                queued++;
                if (lane.running < limits.perTarget()) {
                    ready(lane);
                }
            }
            if (refused != null) {
                t.state = State.DONE;
                forget(lane);
            }
        }
        if (refused != null) {
            reject.accept(refused);
        } else if (t.state == State.WAITING || !go.isEmpty()) {
            if (go.isEmpty()) {
                long delay = deadline - MIN_START_NANOS - System.nanoTime();
                ScheduledFuture<?> timer = timers.schedule(() -> expire(t), Math.max(0, delay), TimeUnit.NANOSECONDS);
                synchronized (this) {
                    t.timer = timer;
                }
            }
            launch(go, List.of());
        }
        return t;
    }

    private void expire(Ticket t) {
        synchronized (this) {
            if (t.state != State.WAITING) {
                return;
            }
            t.state = State.DONE;
            t.lane.waiting.remove(t);
            queued--;
            forget(t.lane);
        }
        t.reject.accept(deadline(t));
    }

    private Rejection deadline(Ticket t) {
        return new Rejection(Reason.DEADLINE, "not started: waited " + Math.round((System.nanoTime() - t.queuedAt) / 1e6)
                + " ms for a slot (" + limits.perTarget() + " per server, --max-probes " + limits.maxProbes()
                + " in all) and its deadline left no time to run");
    }

    /** Under the lock: hands free slots to waiting probes, one server at a time. */
    private List<Ticket> drain(List<Ticket> late) {
        List<Ticket> go = new ArrayList<>();
        long now = System.nanoTime();
        while (running < limits.maxProbes() && !ready.isEmpty()) {
            Lane lane = ready.pollFirst();
            lane.inReady = false;
            Ticket t = lane.waiting.pollFirst();
            if (t != null) {
                queued--;
                if (t.deadline - now < MIN_START_NANOS) {
                    t.state = State.DONE;
                    late.add(t);
                } else {
                    t.state = State.RUNNING;
                    lane.running++;
                    running++;
                    go.add(t);
                }
            }
            if (!lane.waiting.isEmpty() && lane.running < limits.perTarget()) {
                ready(lane);
            }
            forget(lane);
        }
        return go;
    }

    private void launch(List<Ticket> go, List<Ticket> late) {
        for (Ticket t : late) {
            if (t.timer != null) {
                t.timer.cancel(false);
            }
            t.reject.accept(deadline(t));
        }
        for (Ticket t : go) {
            if (t.timer != null) {
                t.timer.cancel(false);
            }
            try {
                t.start.accept(t);
            } catch (RuntimeException e) {
                t.release(); // start answers its own failures; the slot must come back whatever happened
                throw e;
            }
        }
    }

    private void ready(Lane lane) {
        if (!lane.inReady) {
            lane.inReady = true;
            ready.addLast(lane);
        }
    }

    /** Drops a server's lane once it holds nothing, so URI targets seen once do not accumulate. */
    private void forget(Lane lane) {
        if (lane.running == 0 && lane.waiting.isEmpty() && !lane.inReady) {
            lanes.remove(lane.key, lane);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
