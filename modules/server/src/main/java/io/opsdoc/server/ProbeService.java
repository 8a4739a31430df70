package io.opsdoc.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.config.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one check for a scrape: targets come from the config by name (with their credentials), or as a bare URI
 * without credentials when {@code --allow-targets} lists its host. Admission is {@link ProbeScheduler}'s: bounded
 * slots per server and in all, a bounded queue, and a deadline counted from the request's arrival, so time spent
 * waiting is spent budget and a probe that cannot start in time is answered at once as rejected.
 *
 * <p>Checks run on a pool of at most {@code maxProbes} threads of their own, never on the HTTP server's threads,
 * so hung targets cannot take the threads that answer /healthz and /metrics. A slot is given back when the check's
 * thread is really done (not when its answer was sent), so threads and connections per server stay bounded even
 * while a client library ignores the interrupt of a timed-out check.
 */
public final class ProbeService implements AutoCloseable {
    private final OpsdocConfig config;
    private final CheckRegistry registry;
    private final Map<String, String> env;
    /** Clients kept between scrapes, at most per-target of them per target (as many as may run at once). */
    private final ClientPool clients;
    private final Runner runner;
    private final MeterRegistry metrics;
    private final ProbeScheduler scheduler;
    private final ThreadPoolExecutor workers;
    private final TargetAllowList allowed;

    public ProbeService(OpsdocConfig config, CheckRegistry registry, Map<String, String> env, MeterRegistry metrics) {
        this(config, registry, env, metrics, Limits.defaults(), TargetAllowList.none());
    }

    /**
     * How much probing may happen at once; per-target comes from the config.
     *
     * @param maxProbes          checks running at once over all targets (threads, and usually connections)
     * @param maxQueued          probes waiting for a slot over all targets
     * @param maxQueuedPerTarget probes waiting for a slot of one server; more are answered as rejected at once
     */
    public record Limits(int maxProbes, int maxQueued, int maxQueuedPerTarget) {
        public static Limits defaults() {
            return new Limits(ProbeScheduler.Limits.DEFAULT_MAX_PROBES, ProbeScheduler.Limits.DEFAULT_MAX_QUEUED,
                    ProbeScheduler.Limits.DEFAULT_MAX_QUEUED_PER_TARGET);
        }
    }

    public ProbeService(OpsdocConfig config, CheckRegistry registry, Map<String, String> env, MeterRegistry metrics, Limits limits,
            TargetAllowList allowed) {
        this.config = config;
        this.registry = registry;
        this.env = env;
        this.metrics = metrics;
        this.allowed = allowed;
        int perTarget = config == null ? OpsdocConfig.DEFAULT_PER_TARGET : config.perTarget();
        this.clients = ClientPool.keeping(perTarget, IDLE);
        this.runner = new Runner(clients);
        this.scheduler = new ProbeScheduler(new ProbeScheduler.Limits(limits.maxProbes(), perTarget, limits.maxQueued(),
                limits.maxQueuedPerTarget()));
        AtomicInteger n = new AtomicInteger();
        // A thread per running probe, reused while busy, gone 2 s after the load. The scheduler admits at most
        // maxProbes at once; the headroom only covers threads between releasing their slot and returning here.
        this.workers = new ThreadPoolExecutor(0, 2 * limits.maxProbes(), 2, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "opsdoc-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("opsdoc.probes.in.flight", scheduler, ProbeScheduler::running)
                .description("probes holding a slot: running, or timed out and waiting for their client to let go").register(metrics);
        Gauge.builder("opsdoc.probes.queued", scheduler, ProbeScheduler::queued).description("probes waiting for a slot").register(metrics);
        ProbeScheduler.Limits l = scheduler.limits();
        for (var e : Map.of("max_probes", l.maxProbes(), "per_target", l.perTarget(), "max_queued", l.maxQueued(),
                "max_queued_per_target", l.maxQueuedPerTarget()).entrySet()) {
            Gauge.builder("opsdoc.probes.limit", e::getValue).description("the configured probe limits").tag("limit", e.getKey()).register(metrics);
        }
        for (ProbeScheduler.Reason r : ProbeScheduler.Reason.values()) {
            rejected(r); // registered at 0, so a rate() over them works before the first rejection
        }
        cancelled("deadline");
        cancelled("disconnect");
    }

    /** Longer than a usual scrape interval, far shorter than any server's idle timeout. */
    static final Duration IDLE = Duration.ofSeconds(120);

    /** Protocol clients kept idle between probes. */
    public int pooledClients() {
        return clients.idle();
    }

    /** Probes holding a slot now. */
    public int inFlight() {
        return scheduler.running();
    }

    /** Probes waiting for a slot now. */
    public int queued() {
        return scheduler.queued();
    }

    /** Closes the kept clients and stops the probe threads. */
    @Override
    public void close() {
        scheduler.close();
        workers.shutdownNow();
        clients.close();
    }

    /** A probe request that names what to run. Bad requests are {@link UsageException}s, answered with 400. */
    public record Request(String check, String target, Duration timeout) {
    }

    /** A probe's answer: the report, and the reason when it was rejected without running ({@code queue_full}, {@code deadline}). */
    public record Outcome(Report report, String rejected) {
    }

    /** A probe admitted or queued; cancel it when its scraper leaves. */
    public static final class Pending {
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private volatile ProbeScheduler.Ticket ticket;
        private volatile Runner.Execution execution;
        private final Runnable onCancel;

        private Pending(Runnable onCancel) {
            this.onCancel = onCancel;
        }

        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        /** Withdraws a waiting probe, or interrupts a running one; nothing when it is already answered. */
        public void cancel(String why) {
            if (outcome.isDone()) {
                return;
            }
            ProbeScheduler.Ticket t = ticket;
            Runner.Execution e = execution;
            if (t != null && t.withdraw()) {
                onCancel.run();
                outcome.complete(null);
            } else if (e != null && !e.result().isDone()) {
                onCancel.run();
                e.cancel(why);
            }
        }
    }

    /** Runs the probe and waits for it (the alert receiver's path): it returns by the probe's deadline. */
    public Report probe(Request req) {
        return submit(req, System.nanoTime()).outcome().join().report();
    }

    /**
     * Admits the probe and returns at once; the outcome completes by the deadline, {@code arrived} ({@link System#nanoTime()})
     * plus the request's budget. Bad requests throw {@link UsageException} here, before anything is queued.
     */
    public Pending submit(Request req, long arrived) {
        if (req.check() == null || req.check().isBlank() || req.target() == null || req.target().isBlank()) {
            throw new UsageException("give check=<id> and target=<name or URI>");
        }
        Check<?> check = registry.require(req.check());
        TargetConfig named = config == null ? null : config.targets().get(req.target());
        Target target;
        Optional<Secret> secret;
        Map<String, String> overrides = Map.of();
        Duration timeout = req.timeout();
        if (named != null) {
            target = named.target();
            secret = named.password() == null ? named.target().uriPassword() : Optional.of(named.password().resolve(env));
            overrides = named.checks().getOrDefault(check.id(), Map.of());
            Duration configured = named.timeout() != null ? named.timeout() : config.timeout();
            timeout = timeout == null || configured.compareTo(timeout) < 0 ? configured : timeout;
        } else {
            target = Target.parse(req.target());
            if (target.passwordInUri()) {
                throw new UsageException("credentials never go in a URL; name a target of the config file instead");
            }
            secret = Optional.empty();
            if (timeout == null) {
                timeout = config == null ? OpsdocConfig.DEFAULT_TIMEOUT : config.timeout();
            }
        }
        Runner.requireScheme(check, target);
        if (named == null) {
            String refusal = allowed.refusal(target);
            if (refusal != null) {
                throw new TargetNotAllowed(refusal);
            }
        }
        Parameters params = Parameters.resolve(check.id(), check.parameters(), overrides);
        // target and parameters (an unreadable ca-file, say) are judged here, so bad input is a 400 before anything
        // is queued, not an UNKNOWN later
        check.validate(target, params);
        long deadline = arrived + timeout.toNanos();
        Pending pending = new Pending(() -> cancelled("disconnect").increment());
        Instant startedAt = Instant.now();
        pending.outcome.thenAccept(o -> {
            if (o != null) {
                Timer.builder("opsdoc.probe.duration").description("time to answer /probe").tag("check", check.id())
                        .tag("status", o.report().status().name()).register(metrics)
                        .record(Duration.ofMillis(Math.round(o.report().durationSeconds() * 1000)));
            }
        });
        pending.ticket = scheduler.submit(target.scheme() + "://" + target.hosts(), deadline, self -> {
            Runner.Execution e;
            try {
                e = runner.start(check, target, params, secret, Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())), workers);
            } catch (RuntimeException x) {
                pending.outcome.complete(new Outcome(failed(check, target, ProbeErrors.PROBE_FAILED,
                        "could not start: " + io.opsdoc.core.FailureClassifier.oneLine(x), startedAt), null));
                self.release();
                return;
            }
            pending.execution = e;
            e.result().thenAccept(run -> {
                if (e.timedOut()) {
                    cancelled("deadline").increment();
                }
                pending.outcome.complete(new Outcome(run.report(), null));
            });
            e.finished().whenComplete((v, x) -> self.release());
        }, r -> {
            rejected(r.reason()).increment();
            pending.outcome.complete(new Outcome(failed(check, target,
                    r.reason() == ProbeScheduler.Reason.DEADLINE ? ProbeErrors.TIMEOUT : ProbeErrors.PROBE_FAILED, r.why(), startedAt),
                    r.reason().label));
        });
        return pending;
    }

    private static Report failed(Check<?> check, Target target, io.opsdoc.core.FindingCode code, String why, Instant startedAt) {
        Finding f = Runner.failureFinding(check.id(), target.display(), code, why);
        double seconds = Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        return Report.of(check.id(), target.display(), new Evaluation(List.of(f), List.of()), seconds, startedAt);
    }

    private Counter rejected(ProbeScheduler.Reason r) {
        return Counter.builder("opsdoc.probes.rejected").description("probes answered without running: queue full, or no slot before the deadline")
                .tag("reason", r.label).register(metrics);
    }

    private Counter cancelled(String reason) {
        return Counter.builder("opsdoc.probes.cancelled")
                .description("probes stopped before their check ended: the deadline passed while it ran, or the scraper disconnected")
                .tag("reason", reason).register(metrics);
    }

    /** A URI target outside --allow-targets: answered 403, the request was understood and refused. */
    public static final class TargetNotAllowed extends UsageException {
        TargetNotAllowed(String message) {
            super(message);
        }
    }
}
