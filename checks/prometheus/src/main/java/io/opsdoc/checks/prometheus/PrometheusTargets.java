package io.opsdoc.checks.prometheus;

import static io.opsdoc.checks.prometheus.TargetsCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Is the monitoring itself working? A Prometheus that is up can still be blind (targets down, an exporter never
 * scraped), mute (rules that fail to evaluate never fire) or unhelpful (alerts that page without a runbook). This
 * reads what the server says about itself through its HTTP API, the view of its Status → Targets and Rules pages.
 */
public final class PrometheusTargets extends DescribedCheck<PrometheusFacts> {
    public static final String ID = "prometheus-targets";
    static final String NOTE = "prometheus/targets-and-rules";
    /** Errors quoted per job: a job with 500 dead targets needs a few examples, not 500. */
    private static final int QUOTED = 3;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expected-jobs", ParameterType.STRING, "",
                    "comma-separated job names that must have at least one active target, e.g. "
                            + "node-exporter,kube-state-metrics (a Kubernetes cluster's usual set; empty: none required)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("Prometheus 2.x HTTP API", List.of(
            "GET /-/ready", "GET /api/v1/targets?state=active", "GET /api/v1/rules", "GET /api/v1/alerts"),
            "read-only GETs; no admin API (--web.enable-admin-api) and no lifecycle endpoint is used. Prometheus has "
                    + "no roles: with web.config.file basic_auth_users give the monitor its own user; behind a proxy "
                    + "allow these four paths only."));

    public PrometheusTargets() {
        super(ID, "prometheus", "Is Prometheus ready, scraping every target and expected exporter, evaluating every "
                + "rule, and are its firing alerts linked to a runbook?", PrometheusFacts.class, PARAMETERS,
                TargetsCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        PrometheusApi.base(target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        for (String job : jobs(p)) {
            if (!job.matches("[A-Za-z0-9_.:-]+")) {
                throw new UsageException("parameter expected-jobs: '" + job + "' is not a job name");
            }
        }
    }

    @Override
    public PrometheusFacts collect(CheckContext context) throws Exception {
        return PrometheusApi.collect(context);
    }

    @Override
    public void evaluate(PrometheusFacts facts, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("prometheus_ready", facts.ready() ? 1 : 0, ""));
        if (!facts.ready()) {
            out.finding(PROMETHEUS_NOT_READY, Severity.CRITICAL, facts.url() + "/-/ready answered " + facts.readyStatus()
                    + " (" + facts.readyBody() + "): Prometheus is starting (replaying its WAL) or shutting down; "
                    + "it neither scrapes nor evaluates rules until ready",
                    Evidence.of("status", facts.readyStatus(), "body", facts.readyBody(), "url", facts.url()));
            return;
        }
        targets(facts, p, out);
        rules(facts, out);
        alerts(facts, out);
    }

    private static void targets(PrometheusFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, List<PrometheusFacts.ScrapeTarget>> byJob = new LinkedHashMap<>();
        for (PrometheusFacts.ScrapeTarget t : facts.targets()) {
            byJob.computeIfAbsent(t.job() != null ? t.job() : t.scrapePool(), k -> new ArrayList<>()).add(t);
        }
        long down = facts.targets().stream().filter(t -> "down".equals(t.health())).count();
        out.metric(Metric.of("prometheus_targets_active", facts.targets().size(), ""));
        out.metric(Metric.of("prometheus_targets_down", down, ""));
        for (var e : byJob.entrySet()) {
            List<PrometheusFacts.ScrapeTarget> dead = e.getValue().stream().filter(t -> "down".equals(t.health())).toList();
            if (dead.isEmpty()) {
                continue;
            }
            boolean all = dead.size() == e.getValue().size();
            String examples = dead.stream().limit(QUOTED).map(t -> t.instance() + ": " + t.lastError())
                    .collect(Collectors.joining("; "));
            out.finding(TARGET_DOWN, all ? Severity.CRITICAL : Severity.WARNING, "job " + e.getKey() + ": " + dead.size()
                    + " of " + e.getValue().size() + " target(s) down (up == 0)" + (all ? ", every one of them" : "")
                    + "; last scrape error: " + examples + (dead.size() > QUOTED ? "; …" : ""),
                    Evidence.of("job", e.getKey(), "down", dead.size(), "targets", e.getValue().size(),
                            "instances", dead.stream().map(PrometheusFacts.ScrapeTarget::instance).limit(20).toList(),
                            "last_error", dead.get(0).lastError(), "scrape_url", dead.get(0).scrapeUrl()), e.getKey());
        }
        Set<String> present = new LinkedHashSet<>(byJob.keySet());
        facts.targets().forEach(t -> present.add(t.scrapePool()));
        for (String job : jobs(p)) {
            if (!present.contains(job)) {
                out.finding(EXPORTER_MISSING, Severity.CRITICAL, "no active target for job " + job
                        + ": nothing scrapes it (the job is not configured, or its service discovery finds nothing), so "
                        + "its metrics and every alert built on them are absent without a sound",
                        Evidence.of("job", job, "expected-jobs", p.string("expected-jobs"), "jobs_present",
                                List.copyOf(byJob.keySet())), job);
            }
        }
    }

    private static void rules(PrometheusFacts facts, Evaluation.Builder out) {
        Map<String, List<PrometheusFacts.Rule>> failing = new LinkedHashMap<>();
        for (PrometheusFacts.Rule r : facts.rules()) {
            if ("err".equals(r.health())) {
                failing.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
            }
        }
        out.metric(Metric.of("prometheus_rules", facts.rules().size(), ""));
        out.metric(Metric.of("prometheus_rules_failing", failing.values().stream().mapToInt(List::size).sum(), ""));
        for (var e : failing.entrySet()) {
            PrometheusFacts.Rule first = e.getValue().get(0);
            out.finding(RULE_EVALUATION_FAILURES, Severity.CRITICAL, "rule group " + e.getKey() + " (" + first.file() + "): "
                    + e.getValue().size() + " rule(s) fail to evaluate: " + first.name() + ": " + first.lastError()
                    + "; a failing alerting rule cannot fire, a failing recording rule leaves a gap",
                    Evidence.of("group", e.getKey(), "file", first.file(), "rules",
                            e.getValue().stream().map(PrometheusFacts.Rule::name).toList(), "last_error", first.lastError(),
                            "query", first.query()), e.getKey());
        }
    }

    private static void alerts(PrometheusFacts facts, Evaluation.Builder out) {
        List<PrometheusFacts.Alert> firing = facts.alerts().stream().filter(a -> "firing".equals(a.state())).toList();
        out.metric(Metric.of("prometheus_alerts_firing", firing.size(), ""));
        Map<String, Long> noRunbook = firing.stream().filter(a -> a.runbookUrl() == null)
                .collect(Collectors.groupingBy(a -> String.valueOf(a.alertname()), LinkedHashMap::new, Collectors.counting()));
        for (var e : noRunbook.entrySet()) {
            PrometheusFacts.Alert a = firing.stream().filter(x -> e.getKey().equals(String.valueOf(x.alertname())))
                    .findFirst().orElseThrow();
            out.finding(ALERT_WITHOUT_RUNBOOK, Severity.WARNING, "alert " + e.getKey() + " is firing (" + e.getValue()
                    + " instance(s), since " + a.activeAt() + ") without a runbook_url annotation: whoever it pages "
                    + "gets no procedure to follow",
                    Evidence.of("alertname", e.getKey(), "firing", e.getValue(), "active_at", a.activeAt())
                            .putIfPresent("severity", a.severity()), e.getKey());
        }
    }

    static List<String> jobs(Parameters p) {
        return Arrays.stream(p.string("expected-jobs").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
