package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.BinlogCacheCode.BINLOG_CACHE_SPILLS_TO_DISK;

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
 * Do transactions overflow the binlog cache? Each transaction's events are buffered in binlog_cache_size of memory
 * before commit writes them to the binlog; a bigger transaction spills to a temporary file, which slows the commit
 * (and every commit queued behind it). Judged over the window, for the transactional and the statement cache.
 */
public final class MysqlBinlogCache extends MysqlServerCheck {
    public static final String ID = "mysql-binlog-cache";
    static final String NOTE = "mysql/binlog-cache";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            window("binlog cache use and disk use"),
            new ParameterSpec("disk-use-ratio", ParameterType.PERCENT, "20%",
                    "share of the window's binlog cache uses that spilled to disk at which to warn"));

    private static final Reads READS = new Reads(List.of("binlog_cache_size", "binlog_stmt_cache_size", "log_bin"),
            List.of("Binlog_cache_use", "Binlog_cache_disk_use", "Binlog_stmt_cache_use", "Binlog_stmt_cache_disk_use"),
            true, false);

    public MysqlBinlogCache() {
        super(ID, "Do transactions on this MySQL/MariaDB server overflow the binlog cache into temporary files?",
                PARAMETERS, BinlogCacheCode.class, MysqlGrants.loginOnly("the binlog cache counters"), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        judge(facts, p, out, "Binlog_cache_use", "Binlog_cache_disk_use", "binlog_cache_size", "transaction", "binlog_cache");
        judge(facts, p, out, "Binlog_stmt_cache_use", "Binlog_stmt_cache_disk_use", "binlog_stmt_cache_size",
                "non-transactional statement", "binlog_stmt_cache");
    }

    private static void judge(MysqlFacts facts, Parameters p, Evaluation.Builder out, String useName, String diskName,
            String sizeName, String what, String metric) {
        Long use = facts.delta(useName);
        Long disk = facts.delta(diskName);
        if (use == null || disk == null || use == 0) {
            return;
        }
        double ratio = 100.0 * disk / use;
        double warn = p.percent("disk-use-ratio");
        out.metric(new Metric(metric + "_disk_use_percent", MysqlFacts.round(ratio), "%", Map.of(), warn, null));
        if (ratio < warn || disk == 0) {
            return;
        }
        String size = facts.variable(sizeName);
        out.finding(BINLOG_CACHE_SPILLS_TO_DISK, Severity.WARNING,
                String.format(Locale.ROOT, "%d of %d %s caches (%.0f%%) spilled to a temporary file during the %.1f s "
                        + "window: %s=%s bytes is too small for these transactions, so each commit writes twice",
                        disk, use, what, ratio, facts.windowSeconds(), sizeName, size),
                Evidence.of(useName + "_delta", use, diskName + "_delta", disk, sizeName, size,
                        "window_ms", facts.windowMillis()),
                metric);
    }
}
