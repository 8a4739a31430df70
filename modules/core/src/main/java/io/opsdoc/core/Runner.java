package io.opsdoc.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs checks with a hard deadline each and turns every failure into an UNKNOWN finding with a precise reason.
 *
 * <p>{@code collect} runs on a daemon thread: a client library stuck in a read cannot keep the caller (or the
 * JVM) waiting past the deadline. Checks also pass the deadline to their own sockets, so the blocked thread ends
 * soon after; the small grace lets the check's own, more specific timeout message win the race.
 */
public final class Runner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ClientPool clients;

    public Runner() {
        this(ClientPool.none());
    }

    /** A runner whose checks take their clients from {@code clients} (opsdoc serve keeps them between scrapes). */
    public Runner(ClientPool clients) {
        this.clients = clients;
    }

    /** One daemon thread for all deadlines: it only completes results and interrupts, it never does I/O. */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "opsdoc-deadlines");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true); // a finished run's timer must not stay queued until its deadline
        return s;
    }

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsdoc-check-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** The check must run on this kind of target: a usage error otherwise, before any connection is made. */
    public static void requireScheme(Check<?> check, Target target) {
        if (!check.targetSchemes().contains(target.scheme())) {
            throw new UsageException("check " + check.id() + " runs on "
                    + String.join(" or ", check.targetSchemes().stream().map(Target::schemePrefix).toList()) + " targets, not "
                    + Target.schemePrefix(target.scheme()));
        }
    }

    /** Runs the check and waits for it: the answer comes by {@code timeout} plus a small grace, whatever the check does. */
    public <F> Run run(Check<F> check, Target target, Parameters parameters, Optional<Secret> password, Duration timeout) {
        Execution e = start(check, target, parameters, password, timeout, pool);
        try {
            return e.result().get();
        } catch (InterruptedException ie) {
            e.cancel("interrupted");
            Thread.currentThread().interrupt();
            return e.result().getNow(null);
        } catch (ExecutionException ee) {
            throw new IllegalStateException("a run's result never fails", ee);
        }
    }

    /**
     * Starts the check's {@code collect} on {@code executor} and returns at once. The result is complete by
     * {@code timeout} plus a small grace at the latest (an UNKNOWN TIMEOUT report then, and the collecting thread is
     * interrupted); {@link Execution#finished()} completes only when that thread has really let go of the check, which
     * is what a caller bounding threads and connections per server must wait for.
     */
    public <F> Execution start(Check<F> check, Target target, Parameters parameters, Optional<Secret> password, Duration timeout,
            Executor executor) {
        requireScheme(check, target);
        check.validate(target, parameters);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Redactor redactor = new Redactor(password);
        CheckContext context = new CheckContext(target, password, parameters, started.plus(timeout), clients);
        Execution execution = new Execution(check, target, parameters, redactor, t0, started);
        FutureTask<F> task = new FutureTask<>(() -> check.collect(context)) {
            @Override
            protected void done() {
                if (!isCancelled()) {
                    execution.complete(evaluated(check, target, parameters, redactor, t0, started, this), false);
                }
            }
        };
        execution.task = task;
        long grace = Math.min(500, Math.max(50, timeout.toMillis() / 10));
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> execution.abort(new FailureClassifier.Failure(ProbeErrors.TIMEOUT,
                "no result from " + target.display() + " within " + human(timeout)
                        + " (the server accepted nothing, or answered nothing, in time)")), timeout.toMillis() + grace, TimeUnit.MILLISECONDS);
        execution.result.whenComplete((r, x) -> timer.cancel(false));
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    execution.finished.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            execution.abort(new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, "no thread to run the check: the server is shutting down"));
            execution.finished.complete(null);
        }
        return execution;
    }

    private static <F> Run evaluated(Check<F> check, Target target, Parameters parameters, Redactor redactor, long t0, Instant started,
            Future<F> collected) {
        F facts;
        try {
            facts = collected.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(check, target, parameters, new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, "interrupted"), redactor, t0, started);
        } catch (ExecutionException e) {
            return failed(check, target, parameters, FailureClassifier.classify(e.getCause(), target), redactor, t0, started);
        }
        Evaluation evaluation;
        try {
            evaluation = Evaluation.of(check, target.display(), facts, parameters);
        } catch (RuntimeException e) {
            return failed(check, target, parameters, new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED,
                    "could not evaluate the collected facts: " + FailureClassifier.oneLine(e)), redactor, t0, started);
        }
        Evaluation clean = new Evaluation(evaluation.findings().stream().map(redactor::redact).toList(), evaluation.metrics());
        return new Run(Report.of(check.id(), target.display(), clean, seconds(t0), started), facts, parameters.raw());
    }

    /** One started check: its result and the end of its thread, which may come later when a client ignores interrupts. */
    public static final class Execution {
        private final CompletableFuture<Run> result = new CompletableFuture<>();
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final Check<?> check;
        private final Target target;
        private final Parameters parameters;
        private final Redactor redactor;
        private final long t0;
        private final Instant started;
        private volatile FutureTask<?> task;

        private Execution(Check<?> check, Target target, Parameters parameters, Redactor redactor, long t0, Instant started) {
            this.check = check;
            this.target = target;
            this.parameters = parameters;
            this.redactor = redactor;
            this.t0 = t0;
            this.started = started;
        }

        /** The report: the check's own, or an UNKNOWN one when it ran out of time or was cancelled. Never fails. */
        public CompletableFuture<Run> result() {
            return result;
        }

        /** Completes when the collecting thread has returned (or never started). */
        public CompletableFuture<Void> finished() {
            return finished;
        }

        /** True when the result is the deadline's, not the check's. */
        public boolean timedOut() {
            return timedOut;
        }

        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile boolean timedOut;

        /** The first result wins; its flag is set before it is published, so a listener of the result reads the right one. */
        private boolean complete(Run run, boolean deadline) {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            timedOut = deadline;
            return result.complete(run);
        }

        /**
         * Gives up on the run: its result becomes UNKNOWN with this reason and its thread is interrupted. A socket read
         * on a platform thread ignores the interrupt; every check bounds its reads by the deadline, so the thread and
         * its connection are released by then at the latest, and {@link #finished()} says when.
         */
        public void cancel(String why) {
            abort(new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, "cancelled: " + why));
        }

        private void abort(FailureClassifier.Failure failure) {
            if (complete(failed(check, target, parameters, failure, redactor, t0, started), failure.code() == ProbeErrors.TIMEOUT)) {
                FutureTask<?> t = task;
                if (t != null) {
                    t.cancel(true);
                }
            }
        }
    }

    private static Run failed(Check<?> check, Target target, Parameters parameters, FailureClassifier.Failure failure,
            Redactor redactor, long t0, Instant started) {
        Finding f = failureFinding(check.id(), target.display(), failure.code(), redactor.redact(failure.reason()));
        Evaluation e = new Evaluation(List.of(f), List.of());
        return new Run(Report.of(check.id(), target.display(), e, seconds(t0), started), null, parameters.raw());
    }

    public static Finding failureFinding(String check, String target, FindingCode code, String reason) {
        return Finding.of(check, target, code.code(), Severity.UNKNOWN, reason, Evidence.of().asMap(), code.note(), null);
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e6) / 1000.0;
    }

    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s % 60 == 0 && s >= 60 ? (s / 60) + "m" : s + "s";
    }
}
