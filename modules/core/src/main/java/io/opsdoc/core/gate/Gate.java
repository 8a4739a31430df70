package io.opsdoc.core.gate;

import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Finding;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.config.TargetConfig;
import io.opsdoc.core.config.Waiver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs every selected check on every selected target of a config, in parallel, then applies waivers and the baseline.
 *
 * <p>Concurrency is bounded twice: overall (threads) and per server (a semaphore keyed by scheme and host list, so
 * two config names for the same server share it). Every check carries its own deadline, so the wall time is about
 * the slowest check, not the sum: ten black holes among fifty targets cost one timeout, not ten.
 */
public final class Gate {
    public static final String CHECK_ID = "opsdoc-gate";
    public static final String NOTE = "opsdoc/gate";
    public static final FindingCode WAIVER_EXPIRED = FindingCode.inNote(NOTE, "WAIVER_EXPIRED", "a waiver in the config has expired");
    public static final FindingCode WAIVER_UNUSED = FindingCode.inNote(NOTE, "WAIVER_UNUSED", "a waiver matches no finding any more");
    public static final List<FindingCode> CODES = List.of(WAIVER_EXPIRED, WAIVER_UNUSED);

    private record Job(int index, TargetConfig target, Check<?> check, Parameters parameters, Optional<Secret> secret,
            Duration timeout) {
    }

    private Gate() {
    }

    /**
     * @param tags  run only targets carrying all of these tags (empty: all targets)
     * @param today the date waivers are judged against
     */
    /** Told of each check run as it ends, from the thread that ran it: for a progress line on a terminal. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, target, report) -> { };

        void finished(int done, int total, String target, Report report);
    }

    public static Outcome run(OpsdocConfig config, CheckRegistry registry, Set<String> tags, Map<String, String> env,
            Baseline baseline, LocalDate today) {
        return run(config, registry, tags, env, baseline, today, Progress.NONE);
    }

    public static Outcome run(OpsdocConfig config, CheckRegistry registry, Set<String> tags, Map<String, String> env,
            Baseline baseline, LocalDate today, Progress progress) {
        List<TargetConfig> targets = config.targets().values().stream().filter(t -> t.tags().containsAll(tags)).toList();
        if (targets.isEmpty()) {
            throw new UsageException("no target in " + config.source() + " has the tags " + tags);
        }
        List<Job> jobs = jobs(config, registry, targets, env);
        List<Report> reports = execute(config, jobs, progress);
        Map<Integer, String> names = new HashMap<>();
        jobs.forEach(j -> names.put(j.index(), j.target().name()));

        Map<String, Waiver> waived = new LinkedHashMap<>();
        List<Finding> gateFindings = new ArrayList<>();
        Set<String> selected = targets.stream().map(TargetConfig::name).collect(java.util.stream.Collectors.toSet());
        String source = config.source().toString();
        for (Waiver w : config.waivers()) {
            if (!selected.contains(w.target())) {
                continue;
            }
            String subject = w.target() + "/" + (w.check() == null ? "" : w.check() + "#") + w.code();
            Evidence e = Evidence.of("target", w.target(), "code", w.code()).putIfPresent("check", w.check())
                    .put("owner", w.owner()).put("reason", w.reason()).put("expires", w.expires().toString());
            if (w.expired(today)) {
                gateFindings.add(Finding.of(CHECK_ID, source, WAIVER_EXPIRED.code(), Severity.WARNING, "the waiver for "
                        + subject + " (owner " + w.owner() + ") expired on " + w.expires() + "; it no longer waives anything",
                        e.asMap(), WAIVER_EXPIRED.note(), subject));
                continue;
            }
            boolean used = false;
            for (int i = 0; i < reports.size(); i++) {
                for (Finding f : reports.get(i).findings()) {
                    if (w.matches(names.get(i), f)) {
                        waived.putIfAbsent(f.fingerprint(), w);
                        used = true;
                    }
                }
            }
            if (!used) {
                gateFindings.add(Finding.of(CHECK_ID, source, WAIVER_UNUSED.code(), Severity.INFO, "the waiver for " + subject
                        + " matched no finding in this run; if the problem is fixed, remove the waiver", e.asMap(),
                        WAIVER_UNUSED.note(), subject));
            }
        }
        List<Report> all = new ArrayList<>(reports);
        if (!gateFindings.isEmpty()) {
            Evaluation ev = new Evaluation(gateFindings, List.of());
            all.add(Report.of(CHECK_ID, source, ev, 0, Instant.now()));
        }
        List<Finding> current = all.stream().flatMap(r -> r.findings().stream()).toList();
        Map<String, Change> changes = baseline == null ? Map.of() : baseline.classify(current);
        List<Finding> resolved = baseline == null ? List.of() : baseline.resolved(current);
        return new Outcome(all, names, waived, changes, resolved, baseline != null);
    }

    private static List<Job> jobs(OpsdocConfig config, CheckRegistry registry, List<TargetConfig> targets, Map<String, String> env) {
        // round-robin over targets, so one target with many checks does not hold every thread behind its semaphore
        List<List<Job>> perTarget = new ArrayList<>();
        for (TargetConfig t : targets) {
            Optional<Secret> secret = t.password() == null ? t.target().uriPassword() : Optional.of(t.password().resolve(env));
            Duration timeout = t.timeout() != null ? t.timeout() : config.timeout();
            List<Job> list = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> c : t.checks().entrySet()) {
                Check<?> check = registry.require(c.getKey());
                list.add(new Job(-1, t, check, Parameters.resolve(check.id(), check.parameters(), c.getValue()), secret, timeout));
            }
            perTarget.add(list);
        }
        List<Job> jobs = new ArrayList<>();
        for (int round = 0; jobs.size() < perTarget.stream().mapToInt(List::size).sum(); round++) {
            for (List<Job> list : perTarget) {
                if (round < list.size()) {
                    Job j = list.get(round);
                    jobs.add(new Job(jobs.size(), j.target(), j.check(), j.parameters(), j.secret(), j.timeout()));
                }
            }
        }
        return jobs;
    }

    private static List<Report> execute(OpsdocConfig config, List<Job> jobs, Progress progress) {
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Runner runner = new Runner();
        Map<String, Semaphore> perServer = new HashMap<>();
        for (Job j : jobs) {
            perServer.computeIfAbsent(serverKey(j.target()), k -> new Semaphore(config.perTarget()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(config.concurrency(), jobs.size())), r -> {
            Thread t = new Thread(r, "opsdoc-gate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Report>> futures = new ArrayList<>();
            for (Job j : jobs) {
                Semaphore server = perServer.get(serverKey(j.target()));
                futures.add(pool.submit(() -> {
                    server.acquire();
                    Report r;
                    try {
                        r = runner.run(j.check(), j.target().target(), j.parameters(), j.secret(), j.timeout()).report();
                    } finally {
                        server.release();
                    }
                    progress.finished(done.incrementAndGet(), jobs.size(), j.target().name(), r);
                    return r;
                }));
            }
            Report[] ordered = new Report[jobs.size()];
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    ordered[i] = futures.get(i).get();
                } catch (ExecutionException e) {
                    Job j = jobs.get(i);
                    Finding f = Runner.failureFinding(j.check().id(), j.target().target().display(),
                            io.opsdoc.core.ProbeErrors.PROBE_FAILED, "the gate could not run this check: "
                                    + io.opsdoc.core.FailureClassifier.oneLine(e.getCause()));
                    ordered[i] = Report.of(j.check().id(), j.target().target().display(),
                            new Evaluation(List.of(f), List.of()), 0, Instant.now());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return List.of(ordered);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String serverKey(TargetConfig t) {
        return t.target().scheme() + "://" + t.target().hosts();
    }
}
