package io.opsdoc.server;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check for a scrape: targets come from the config by name (with their credentials) or as a bare URI
 * without credentials; never more than {@code per-target} probes run against one server at once, and a probe that
 * cannot get a slot before its deadline reports UNKNOWN instead of queueing past Prometheus' timeout.
 */
public final class ProbeService implements AutoCloseable {
    private final OpsdocConfig config;
    private final CheckRegistry registry;
    private final Map<String, String> env;
    /** Clients kept between scrapes, at most per-target of them per target (as many as may run at once). */
    private final ClientPool clients;
    private final Runner runner;
    private final Map<String, Semaphore> perServer = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    public ProbeService(OpsdocConfig config, CheckRegistry registry, Map<String, String> env, MeterRegistry metrics) {
        this.config = config;
        this.registry = registry;
        this.env = env;
        this.metrics = metrics;
        this.clients = ClientPool.keeping(config == null ? OpsdocConfig.DEFAULT_PER_TARGET : config.perTarget(), IDLE);
        this.runner = new Runner(clients);
    }

    /** Longer than a usual scrape interval, far shorter than any server's idle timeout. */
    static final Duration IDLE = Duration.ofSeconds(120);

    /** Protocol clients kept idle between probes. */
    public int pooledClients() {
        return clients.idle();
    }

    /** Closes the kept clients. */
    @Override
    public void close() {
        clients.close();
    }

    /** A probe request that names what to run. Bad requests are {@link UsageException}s, answered with 400. */
    public record Request(String check, String target, Duration timeout) {
    }

    public Report probe(Request req) {
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
        check.validate(target);
        Parameters params = Parameters.resolve(check.id(), check.parameters(), overrides);
        Report report = runBounded(check, target, params, secret, timeout);
        Timer.builder("opsdoc.probe.duration").description("time to answer /probe").tag("check", check.id())
                .tag("status", report.status().name()).register(metrics).record(Duration.ofMillis(Math.round(report.durationSeconds() * 1000)));
        return report;
    }

    private Report runBounded(Check<?> check, Target target, Parameters params, Optional<Secret> secret, Duration timeout) {
        int slots = config == null ? OpsdocConfig.DEFAULT_PER_TARGET : config.perTarget();
        Semaphore server = perServer.computeIfAbsent(target.scheme() + "://" + target.hosts(), k -> new Semaphore(slots));
        long t0 = System.nanoTime();
        try {
            if (!server.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Finding f = Runner.failureFinding(check.id(), target.display(), ProbeErrors.TIMEOUT, "all " + slots
                        + " probe slots for this server stayed busy for " + Runner.human(timeout) + "; scrapes overlap");
                return Report.of(check.id(), target.display(), new Evaluation(List.of(f), List.of()), 0, Instant.now());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            Duration left = timeout.minusNanos(System.nanoTime() - t0);
            return runner.run(check, target, params, secret, left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left).report();
        } finally {
            server.release();
        }
    }
}
