package io.opsdoc.server.alerts;

import io.opsdoc.core.Check;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.config.TargetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what to run a check against from an alert's labels. Exporters label alerts with their own address
 * ({@code instance="db1:9104"} for mysqld_exporter), not the database's, so the config is asked first: a target
 * named by the mapping, by an {@code opsdoc_target} label, by name or {@code alert-instances} entry equal to a label
 * value, or whose host is the instance's host. A bare URI in {@code instance} (the multi-target exporter pattern)
 * is used as is, without credentials. A cluster-wide check (Kubernetes) falls back to the only target that runs it.
 */
final class AlertTargets {
    /** Labels whose values may name a whole target. */
    static final List<String> TARGET_LABELS = List.of("opsdoc_target", "instance", "target", "cluster", "service", "server", "host");

    /** A config target name or a URI, as ProbeService takes it; or why there is none. */
    record Choice(String target, String why) {
        static Choice none(String why) {
            return new Choice(null, why);
        }
    }

    private final OpsdocConfig config;

    AlertTargets(OpsdocConfig config) {
        this.config = config;
    }

    Choice choose(Check<?> check, String mapped, Map<String, String> labels) {
        Map<String, TargetConfig> targets = config == null ? Map.of() : config.targets();
        if (mapped != null) {
            return new Choice(mapped, "the config maps this alert to target " + mapped);
        }
        List<TargetConfig> running = targets.values().stream().filter(t -> t.checks().containsKey(check.id())).toList();
        List<String> matched = new ArrayList<>();
        for (TargetConfig t : running) {
            for (String key : TARGET_LABELS) {
                String v = labels.get(key);
                if (v != null && (v.equals(t.name()) || t.alertInstances().contains(v) || sameHost(t.target(), v))) {
                    matched.add(t.name());
                    break;
                }
            }
        }
        if (matched.size() == 1) {
            return new Choice(matched.get(0), "labels match config target " + matched.get(0));
        }
        if (matched.size() > 1) {
            return Choice.none("labels match several config targets running " + check.id() + " (" + String.join(", ", matched)
                    + "); map the alert to one with alerts.<name>.target or give the targets alert-instances");
        }
        String instance = labels.get("instance");
        if (instance != null && instance.contains("://")) {
            try {
                Target t = Target.parse(instance);
                Runner.requireScheme(check, t);
                if (!t.passwordInUri()) {
                    return new Choice(instance, "the instance label is a " + t.scheme() + ":// URI");
                }
            } catch (UsageException e) {
                // not a target URI: fall through to the explanation below
            }
        }
        if (running.size() == 1 && "k8s".equals(check.targetScheme())) {
            return new Choice(running.get(0).name(), "the only target that runs " + check.id());
        }
        return Choice.none("no target for " + check.id() + " matches the labels " + labelsShown(labels)
                + (running.isEmpty() ? "; no config target runs " + check.id() : "; give the target alert-instances: ["
                        + Optional.ofNullable(labels.get("instance")).orElse("<instance label>") + "]"));
    }

    private static boolean sameHost(Target t, String labelValue) {
        String host = labelValue;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            host = host.substring(0, colon);
        }
        return t.hosts().size() == 1 && t.hosts().get(0).host() != null && t.hosts().get(0).host().equalsIgnoreCase(host);
    }

    private static String labelsShown(Map<String, String> labels) {
        List<String> shown = new ArrayList<>();
        for (String k : TARGET_LABELS) {
            if (labels.containsKey(k)) {
                shown.add(k + "=" + labels.get(k));
            }
        }
        return shown.isEmpty() ? "(none of " + String.join(", ", TARGET_LABELS) + ")" : "{" + String.join(", ", shown) + "}";
    }
}
