package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ThroughputCode.*;

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
 * How busy is the server? QPS (Questions: statements sent by clients), TPS (explicit COMMIT and ROLLBACK) and the
 * read/write mix over the window. These are measurements, not health: the only findings compare them with a baseline
 * the operator gives (the notes' 2,000-5,000 QPS per instance is folklore that depends on hardware and workload).
 */
public final class MysqlThroughput extends MysqlServerCheck {
    public static final String ID = "mysql-throughput";
    static final String NOTE = "mysql/throughput";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            window("the Questions and Com_* counters"),
            new ParameterSpec("qps-baseline", ParameterType.INTEGER, "0",
                    "queries per second this server normally handles; above it is reported (INFO); 0: no baseline"),
            new ParameterSpec("tps-baseline", ParameterType.INTEGER, "0",
                    "transactions (COMMIT + ROLLBACK) per second normally; above it is reported (INFO); 0: no baseline"));

    private static final List<String> COUNTERS = List.of("Questions", "Com_commit", "Com_rollback", "Com_select",
            "Com_insert", "Com_update", "Com_delete", "Com_replace");

    public MysqlThroughput() {
        super(ID, "How many queries and transactions per second does this MySQL/MariaDB server handle?",
                PARAMETERS, ThroughputCode.class, MysqlGrants.loginOnly("the Questions and Com_* counters"),
                new Reads(List.of(), COUNTERS, true, false));
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        double w = facts.windowSeconds();
        Long questions = facts.delta("Questions");
        if (w <= 0 || questions == null) {
            return;
        }
        long commits = orZero(facts.delta("Com_commit")) + orZero(facts.delta("Com_rollback"));
        long reads = orZero(facts.delta("Com_select"));
        long writes = orZero(facts.delta("Com_insert")) + orZero(facts.delta("Com_update"))
                + orZero(facts.delta("Com_delete")) + orZero(facts.delta("Com_replace"));
        double qps = MysqlFacts.round(questions / w);
        double tps = MysqlFacts.round(commits / w);
        out.metric(Metric.of("queries_per_second", qps, "1/s"));
        out.metric(Metric.of("transactions_per_second", tps, "1/s"));
        out.metric(Metric.of("reads_per_second", MysqlFacts.round(reads / w), "1/s"));
        out.metric(Metric.of("writes_per_second", MysqlFacts.round(writes / w), "1/s"));
        if (reads + writes > 0) {
            out.metric(Metric.of("read_share_percent", MysqlFacts.round(100.0 * reads / (reads + writes)), "%"));
        }
        above(QPS_ABOVE_BASELINE, "queries", qps, p.integer("qps-baseline"), "Questions_delta", questions, facts, out);
        above(TPS_ABOVE_BASELINE, "transactions (COMMIT + ROLLBACK)", tps, p.integer("tps-baseline"),
                "Com_commit_plus_rollback_delta", commits, facts, out);
    }

    private static void above(ThroughputCode code, String what, double perSecond, long baseline, String deltaName,
            long delta, MysqlFacts facts, Evaluation.Builder out) {
        if (baseline <= 0 || perSecond <= baseline) {
            return;
        }
        out.finding(code, Severity.INFO, String.format(Locale.ROOT, "%.1f %s per second over the %.1f s window, above "
                + "the baseline of %d/s: expected load (a campaign, a batch) or a client looping?", perSecond, what,
                facts.windowSeconds(), baseline),
                Evidence.of(deltaName, delta, "window_ms", facts.windowMillis(), "per_second", perSecond,
                        code == QPS_ABOVE_BASELINE ? "qps-baseline" : "tps-baseline", baseline));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
