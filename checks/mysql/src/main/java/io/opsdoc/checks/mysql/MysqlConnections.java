package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ConnectionsCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How close is the server to turning clients away? Connected and running threads against max_connections, and over
 * the window the connections refused for being too many and the connection attempts that failed.
 */
public final class MysqlConnections extends MysqlServerCheck {
    public static final String ID = "mysql-connections";
    static final String NOTE = "mysql/connections";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            window("refused and aborted connections"),
            new ParameterSpec("connections-warning", ParameterType.PERCENT, "80%",
                    "Threads_connected as a share of max_connections at which to warn"),
            new ParameterSpec("connections-critical", ParameterType.PERCENT, "95%",
                    "Threads_connected as a share of max_connections that is critical"),
            new ParameterSpec("threads-running-warning", ParameterType.PERCENT, "60%",
                    "Threads_running as a share of max_connections at which to warn"),
            new ParameterSpec("aborted-connects", ParameterType.INTEGER, "1",
                    "failed connection attempts (Aborted_connects) during the window at which to warn"));

    private static final Reads READS = new Reads(List.of("max_connections", "max_user_connections"),
            List.of("Threads_connected", "Threads_running", "Max_used_connections", "Aborted_connects",
                    "Connection_errors_max_connections"), true, false);

    public MysqlConnections() {
        super(ID, "Is this MySQL/MariaDB server close to refusing connections, or refusing them already?",
                PARAMETERS, ConnectionsCode.class, MysqlGrants.loginOnly("the thread and connection counters"), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, String> now = facts.statusAfter() != null ? facts.statusAfter() : facts.status();
        Long max = MysqlFacts.number(facts.variable("max_connections"));
        Long connected = MysqlFacts.number(now.get("Threads_connected"));
        Long running = MysqlFacts.number(now.get("Threads_running"));
        Long maxUsed = MysqlFacts.number(now.get("Max_used_connections"));
        if (connected != null) {
            out.metric(Metric.of("threads_connected", connected, ""));
        }
        if (running != null) {
            out.metric(Metric.of("threads_running", running, ""));
        }
        if (maxUsed != null) {
            out.metric(Metric.of("max_used_connections", maxUsed, ""));
        }
        if (max != null && max > 0 && connected != null) {
            connectionsUsed(max, connected, maxUsed, p, out);
        }
        if (max != null && max > 0 && running != null) {
            threadsRunning(max, running, p, out);
        }
        refused(facts, max, connected, out);
        aborted(facts, p, out);
    }

    private static void connectionsUsed(long max, long connected, Long maxUsed, Parameters p, Evaluation.Builder out) {
        double used = 100.0 * connected / max;
        double warn = p.percent("connections-warning");
        double crit = p.percent("connections-critical");
        out.metric(new Metric("connections_used_percent", round(used), "%", Map.of(), warn, crit));
        if (used < warn) {
            return;
        }
        boolean critical = used >= crit;
        out.finding(CONNECTIONS_NEAR_MAX, critical ? Severity.CRITICAL : Severity.WARNING,
                String.format(Locale.ROOT, "%d of max_connections=%d connections are in use (%.0f%%, %s at %.0f%%): "
                        + "new clients get 'Too many connections' (1040) once the rest are taken", connected, max, used,
                        critical ? "critical" : "warning", critical ? crit : warn),
                Evidence.of("Threads_connected", connected, "max_connections", max, "used_percent", round(used))
                        .putIfPresent("Max_used_connections", maxUsed));
    }

    private static void threadsRunning(long max, long running, Parameters p, Evaluation.Builder out) {
        double share = 100.0 * running / max;
        double warn = p.percent("threads-running-warning");
        if (share < warn) {
            return;
        }
        out.finding(THREADS_RUNNING_HIGH, Severity.WARNING,
                String.format(Locale.ROOT, "%d threads are executing at once (%.0f%% of max_connections=%d; warning at "
                        + "%.0f%%): queries pile up, usually behind a slow query, a lock or a saturated disk", running,
                        share, max, warn),
                Evidence.of("Threads_running", running, "max_connections", max, "running_percent", round(share)));
    }

    private static void refused(MysqlFacts facts, Long max, Long connected, Evaluation.Builder out) {
        Long refused = facts.delta("Connection_errors_max_connections");
        if (refused == null) {
            return;
        }
        out.metric(Metric.of("connections_refused_per_second", rate(refused, facts), "1/s"));
        if (refused > 0) {
            out.finding(CONNECTIONS_REFUSED, Severity.CRITICAL,
                    String.format(Locale.ROOT, "%d connection(s) were refused with 'Too many connections' during the "
                            + "%.1f s window: clients are failing now", refused, facts.windowSeconds()),
                    Evidence.of("Connection_errors_max_connections_delta", refused, "window_ms", facts.windowMillis())
                            .putIfPresent("max_connections", max).putIfPresent("Threads_connected", connected));
        }
    }

    private static void aborted(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        Long aborted = facts.delta("Aborted_connects");
        if (aborted == null) {
            return;
        }
        out.metric(Metric.of("aborted_connects_per_second", rate(aborted, facts), "1/s"));
        if (aborted >= p.integer("aborted-connects") && aborted > 0) {
            out.finding(ABORTED_CONNECTS, Severity.WARNING,
                    String.format(Locale.ROOT, "%d connection attempt(s) failed during the %.1f s window (wrong "
                            + "password, unknown user, or a client that gave up in the handshake)", aborted,
                            facts.windowSeconds()),
                    Evidence.of("Aborted_connects_delta", aborted, "window_ms", facts.windowMillis(),
                            "aborted-connects", p.integer("aborted-connects")));
        }
    }

    private static double rate(long delta, MysqlFacts facts) {
        return facts.perSecond(delta);
    }

    private static double round(double v) {
        return MysqlFacts.round(v);
    }
}
