package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.SlowQueriesCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Locale;

/**
 * Are slow queries running now, and would anyone be able to find them? Slow_queries counts every statement over
 * long_query_time whether or not the slow log is on, so the rate is measured either way; the log decides whether the
 * statements can be named afterwards.
 */
public final class MysqlSlowQueries extends MysqlServerCheck {
    public static final String ID = "mysql-slow-queries";
    static final String NOTE = "mysql/slow-queries";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            window("the Slow_queries counter"),
            new ParameterSpec("slow-queries", ParameterType.INTEGER, "1",
                    "slow queries (Slow_queries growth) during the window at which to warn"),
            new ParameterSpec("long-query-time-max", ParameterType.DURATION, "10s",
                    "long_query_time above this hides slow queries: warn (10 s is the server default)"));

    private static final Reads READS = new Reads(List.of("slow_query_log", "long_query_time", "slow_query_log_file",
            "log_output"), List.of("Slow_queries"), true, false);

    public MysqlSlowQueries() {
        super(ID, "Are slow queries running on this MySQL/MariaDB server, and is the slow log there to name them?",
                PARAMETERS, SlowQueriesCode.class, MysqlGrants.loginOnly("the slow query counter and log settings"), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        String log = facts.variable("slow_query_log");
        String longQueryTime = facts.variable("long_query_time");
        Long slow = facts.delta("Slow_queries");
        if (slow != null) {
            out.metric(Metric.of("slow_queries_per_second", facts.perSecond(slow), "1/s"));
            if (slow >= p.integer("slow-queries") && slow > 0) {
                out.finding(SLOW_QUERIES_INCREASING, Severity.WARNING,
                        String.format(Locale.ROOT, "%d quer%s took longer than long_query_time=%ss during the %.1f s "
                                + "window", slow, slow == 1 ? "y" : "ies", trim(longQueryTime), facts.windowSeconds()),
                        Evidence.of("Slow_queries_delta", slow, "window_ms", facts.windowMillis(),
                                "long_query_time", longQueryTime, "slow_query_log", log));
            }
        }
        if (log != null && !MysqlFacts.on(log)) {
            boolean happening = slow != null && slow > 0;
            out.finding(SLOW_LOG_DISABLED, happening ? Severity.WARNING : Severity.INFO,
                    happening ? "slow queries are running but slow_query_log is OFF: nothing records which statements they are"
                            : "slow_query_log is OFF: slow queries are counted (Slow_queries) but not recorded, so they "
                                    + "cannot be named when they appear",
                    Evidence.of("slow_query_log", log).putIfPresent("Slow_queries_delta", slow));
        }
        Double seconds = seconds(longQueryTime);
        double max = p.duration("long-query-time-max").toMillis() / 1000.0;
        if (seconds != null && seconds > max) {
            out.finding(LONG_QUERY_TIME_HIGH, Severity.WARNING,
                    String.format(Locale.ROOT, "long_query_time is %ss (more than %ss): statements faster than that are "
                            + "neither counted nor logged as slow, so the slow-query signal stays quiet", trim(longQueryTime),
                            trim(Double.toString(max))),
                    Evidence.of("long_query_time", longQueryTime, "long-query-time-max", p.raw().get("long-query-time-max")));
        }
    }

    private static Double seconds(String value) {
        try {
            return value == null ? null : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 10.000000 as the server prints it reads better as 10. */
    private static String trim(String value) {
        if (value == null || !value.contains(".")) {
            return value;
        }
        String s = value.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
