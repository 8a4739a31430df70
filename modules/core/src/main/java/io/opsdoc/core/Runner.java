package io.opsdoc.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    public <F> Run run(Check<F> check, Target target, Parameters parameters, Optional<Secret> password, Duration timeout) {
        requireScheme(check, target);
        check.validate(target, parameters);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Instant deadline = started.plus(timeout);
        Redactor redactor = new Redactor(password);
        CheckContext context = new CheckContext(target, password, parameters, deadline, clients);
        Future<F> future = pool.submit(() -> check.collect(context));
        F facts;
        try {
            long grace = Math.min(500, Math.max(50, timeout.toMillis() / 10));
            facts = future.get(timeout.toMillis() + grace, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(check, target, parameters, new FailureClassifier.Failure(ProbeErrors.TIMEOUT,
                    "no result from " + target.display() + " within " + human(timeout)
                            + " (the server accepted nothing, or answered nothing, in time)"), redactor, t0, started);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(check, target, parameters,
                    new FailureClassifier.Failure(ProbeErrors.PROBE_FAILED, "interrupted"), redactor, t0, started);
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
