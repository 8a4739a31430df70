package io.opsdoc.server.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opsdoc.core.Check;
import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.alerts.AlertNotes;
import io.opsdoc.core.config.ForwardConfig;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.Note;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.server.ProbeService;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /alerts}: for each alert of an Alertmanager webhook, find its note and check, run the check against
 * the target its labels name, and give a verdict. Alertmanager must not wait on a slow check (it times out and
 * retries, which would run the check again), so the response carries whatever is done within {@code answerWithin} and
 * {@code pending} for the rest; every verdict is forwarded to the receivers when it is known. The same alert
 * (fingerprint and status) seen again within {@code dedupWindow} is answered from memory and not forwarded twice:
 * Alertmanager resends a whole group whenever one alert in it changes.
 */
public final class AlertService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    /** @param answerWithin how long a webhook request may wait for verdicts; @param maxAlerts alerts checked per payload */
    public record Settings(Duration answerWithin, Duration dedupWindow, int workers, int maxAlerts, String publicUrl, String lang) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofMinutes(5), 4, 100, null, NoteCatalog.ENGLISH);
        }
    }

    private record Seen(CompletableFuture<AlertVerdict> verdict, Instant at) {
    }

    private final Settings settings;
    private final CheckRegistry registry;
    private final ProbeService probes;
    private final NoteCatalog notes;
    private final AlertNotes alertNotes;
    private final AlertTargets targets;
    private final List<Receiver> receivers = new ArrayList<>();
    private final HttpClient http;
    private final ExecutorService workers;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Clock clock;

    public AlertService(Settings settings, OpsdocConfig config, CheckRegistry registry, ProbeService probes, NoteCatalog notes,
            Map<String, String> env, MeterRegistry metrics, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.probes = probes;
        this.notes = notes;
        this.alertNotes = new AlertNotes(notes, config == null ? Map.of() : config.alerts());
        this.targets = new AlertTargets(config);
        this.metrics = metrics;
        this.clock = clock;
        for (ForwardConfig f : config == null ? List.<ForwardConfig>of() : config.forward()) {
            receivers.add(new Receiver(f, env, clock));
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "opsdoc-alert-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Handles one webhook payload; never throws for a well-formed payload, whatever its alerts say. */
    public List<AlertVerdict> receive(AlertmanagerWebhook hook) {
        expire();
        List<CompletableFuture<AlertVerdict>> futures = new ArrayList<>();
        List<Boolean> duplicate = new ArrayList<>();
        int i = 0;
        for (AlertmanagerWebhook.Alert alert : hook.alerts()) {
            if (i++ >= settings.maxAlerts()) {
                futures.add(CompletableFuture.completedFuture(notChecked(alert, "more than " + settings.maxAlerts()
                        + " alerts in one payload; lower max_alerts in the Alertmanager webhook config")));
                duplicate.add(false);
                continue;
            }
            String key = alert.key() + "/" + (alert.resolved() ? "resolved" : "firing");
            Seen fresh = new Seen(new CompletableFuture<>(), clock.instant());
            Seen before = seen.putIfAbsent(key, fresh);
            if (before != null) {
                futures.add(before.verdict());
                duplicate.add(true);
                count("duplicate");
                continue;
            }
            duplicate.add(false);
            futures.add(fresh.verdict());
            try {
                workers.execute(() -> {
                    AlertVerdict v;
                    try {
                        v = verdict(alert);
                    } catch (RuntimeException e) {
                        v = new AlertVerdict(alert.name(), alert.key(), alert.status(), Verdict.CHECK_ERROR, FailureClassifier.oneLine(e),
                                alert.labels(), null, null, null, null, null, null, clock.instant().toString(), null);
                    }
                    count(v.verdict().json());
                    fresh.verdict().complete(v);
                    forward(v);
                });
            } catch (RejectedExecutionException e) {
                seen.remove(key, fresh);
                fresh.verdict().complete(notChecked(alert, "too many alerts queued for checking; try again later"));
            }
        }
        long deadline = System.nanoTime() + settings.answerWithin().toNanos();
        List<AlertVerdict> out = new ArrayList<>();
        for (int k = 0; k < futures.size(); k++) {
            CompletableFuture<AlertVerdict> f = futures.get(k);
            AlertVerdict v;
            try {
                v = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                v = pendingFor(hook.alerts().get(k));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                v = pendingFor(hook.alerts().get(k));
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            out.add(duplicate.get(k) ? v.asDuplicate() : v);
        }
        return out;
    }

    private AlertVerdict pendingFor(AlertmanagerWebhook.Alert a) {
        return new AlertVerdict(a.name(), a.key(), a.status(), Verdict.PENDING,
                "the check is still running; the verdict is forwarded when it ends", a.labels(), null, null, null, null, null, null, null, null);
    }

    AlertVerdict verdict(AlertmanagerWebhook.Alert alert) {
        String runbook = alert.annotations() == null ? null : alert.annotations().get("runbook_url");
        Optional<AlertNotes.Resolution> found = alertNotes.resolve(alert.name(), runbook, settings.lang());
        if (found.isEmpty()) {
            return notChecked(alert, "no note for alert " + alert.name() + ": opsdoc does not know this alert name, and it has no "
                    + "runbook_url pointing at an opsdoc note; map it in the config's alerts: section");
        }
        AlertNotes.Resolution r = found.get();
        if (r.check() == null) {
            return withNote(alert, r, null, notChecked(alert, "note " + r.note().id() + " explains this alert but names no check to confirm it"));
        }
        Optional<Check<?>> check = registry.find(r.check());
        if (check.isEmpty()) {
            return withNote(alert, r, null, notChecked(alert, "check " + r.check() + " is not installed"));
        }
        AlertTargets.Choice target = targets.choose(check.get(), r.target(), alert.labels());
        if (target.target() == null) {
            return withNote(alert, r, null, notChecked(alert, target.why()));
        }
        Report report;
        try {
            report = probes.probe(new ProbeService.Request(r.check(), target.target(), null));
        } catch (UsageException e) {
            return withNote(alert, r, null, new AlertVerdict(alert.name(), alert.key(), alert.status(), Verdict.CHECK_ERROR, e.getMessage(),
                    alert.labels(), null, null, r.check(), target.target(), null, null, clock.instant().toString(), null));
        }
        VerdictJudge.Judgement j = VerdictJudge.judge(report, alert.resolved(), alert.labels());
        AlertVerdict v = new AlertVerdict(alert.name(), alert.key(), alert.status(), j.verdict(), j.reason(), alert.labels(), null, null,
                r.check(), report.target(), j.findings(), report.durationSeconds(), report.startedAt().toString(), null);
        return withNote(alert, r, j.findings().isEmpty() ? null : j.findings().get(0), v);
    }

    /** Quotes the section the runbook_url named, else the first finding's section (if in this note), else the note's first. */
    private AlertVerdict withNote(AlertmanagerWebhook.Alert alert, AlertNotes.Resolution r, Finding first, AlertVerdict v) {
        Note n = r.note();
        String anchor = r.anchor();
        if (anchor == null && first != null && first.note() != null && first.note().startsWith(n.id() + "#")) {
            anchor = first.note().substring(n.id().length() + 1);
        }
        Note.Section s = anchor == null ? n.sections().values().stream().findFirst().orElse(null) : n.sections().get(anchor);
        String url = settings.publicUrl() == null ? null
                : settings.publicUrl().replaceAll("/+$", "") + "/notes/" + n.lang() + "/" + n.id() + (s == null ? "" : "#" + s.anchor());
        AlertVerdict.NoteExcerpt excerpt = new AlertVerdict.NoteExcerpt(n.id(), n.lang(), n.title(), s == null ? null : s.anchor(),
                s == null ? null : s.heading(), s == null ? null : s.excerpt(), url);
        return new AlertVerdict(v.alert(), v.fingerprint(), v.status(), v.verdict(), v.reason(), v.labels(), excerpt,
                r.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), v.check(), v.target(), v.findings(),
                v.durationSeconds(), v.checkedAt(), v.duplicate());
    }

    private AlertVerdict notChecked(AlertmanagerWebhook.Alert a, String why) {
        return new AlertVerdict(a.name(), a.key(), a.status(), Verdict.NOT_CHECKED, why, a.labels(), null, null, null, null, null, null,
                null, null);
    }

    private void forward(AlertVerdict v) {
        for (Receiver r : receivers) {
            try {
                http.sendAsync(r.request(v), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                    if (err != null || resp.statusCode() >= 300) {
                        // Name the receiver, never its URL: robot URLs carry their access token.
                        LOG.warn("forwarding {} to {} failed: {}", v.alert(), r,
                                err != null ? FailureClassifier.oneLine(err) : "HTTP " + resp.statusCode());
                        Counter.builder("opsdoc.forward.failures").description("verdicts a receiver did not accept").tag("receiver", r.name())
                                .register(metrics).increment();
                    } else {
                        Counter.builder("opsdoc.forward.sent").description("verdicts delivered to a receiver").tag("receiver", r.name())
                                .register(metrics).increment();
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("forwarding {} to {} failed: {}", v.alert(), r, FailureClassifier.oneLine(e));
            }
        }
    }

    private void count(String verdict) {
        Counter.builder("opsdoc.alerts.received").description("alerts received on /alerts, by verdict").tag("verdict", verdict)
                .register(metrics).increment();
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(settings.dedupWindow());
        seen.entrySet().removeIf(e -> e.getValue().at().isBefore(cutoff) && e.getValue().verdict().isDone());
        if (seen.size() > MAX_REMEMBERED) {
            // A flood of distinct alerts must not grow memory without bound: forget the oldest finished ones first,
            // which at worst re-checks an alert that repeats after the flood.
            seen.entrySet().stream().filter(e -> e.getValue().verdict().isDone())
                    .sorted(java.util.Comparator.comparing((Map.Entry<String, Seen> e) -> e.getValue().at()))
                    .limit(seen.size() - MAX_REMEMBERED / 2).map(Map.Entry::getKey).toList().forEach(seen::remove);
        }
    }

    /** Alerts remembered for deduplication, at most. */
    static final int MAX_REMEMBERED = 20_000;

    /** Alerts still being checked, for tests and /metrics. */
    public int inFlight() {
        return (int) seen.values().stream().filter(s -> !s.verdict().isDone()).count();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
