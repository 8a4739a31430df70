package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.FdCode.PROCESS_FD_HIGH;
import static io.opsdoc.checks.host.FdCode.SYSTEM_FD_HIGH;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Are file descriptors running out, for the whole kernel (fs.file-max) or for one process (its RLIMIT_NOFILE)?
 * The per-process limit is the one services hit in practice ("Too many open files", EMFILE).
 */
public final class LinuxFdUsage extends HostCheck<FdFacts> {
    public static final String ID = "linux-fd-usage";
    static final String NOTE = "linux/file-descriptors";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "70%",
                    "share of fs.file-max, or of a process's soft open-files limit, at which to warn (node-mixin: 70%)"),
            new ParameterSpec("critical", ParameterType.PERCENT, "90%", "share that is critical (node-mixin: 90%)"));

    public LinuxFdUsage() {
        super(ID, "Are file descriptors running out on this Linux host, system-wide or in one process?",
                FdFacts.class, PARAMETERS, HostTransportCode.with(FdCode.class), HostGrants.grants(ID,
                        "cat of /proc/sys/fs/file-nr; on local: also /proc/PID/fd and /proc/PID/limits of every process "
                                + "(other users' need root, so over SSH only the system-wide figure is read)"));
    }

    @Override
    public FdFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> new FdFacts(host.read("/proc/sys/fs/file-nr").trim(),
                host.busyProcessFds()));
    }

    @Override
    public void evaluate(FdFacts facts, Parameters p, Evaluation.Builder out) {
        double warning = p.percent("warning");
        double critical = p.percent("critical");
        String[] f = facts.fileNr().split("\\s+");
        long allocated = Long.parseLong(f[0]);
        long max = Long.parseLong(f[2]);
        double share = max > 0 ? 100.0 * allocated / max : 0;
        out.metric(new Metric("file_handles_allocated", allocated, "", Map.of(), max * warning / 100, max * critical / 100));
        out.metric(Metric.of("file_handles_max", max, ""));
        if (max > 0 && share >= warning) {
            boolean crit = share >= critical;
            out.finding(SYSTEM_FD_HIGH, crit ? Severity.CRITICAL : Severity.WARNING, String.format(Locale.ROOT,
                    "%d of %d kernel file handles in use (%.1f%%), at or above %.0f%%: when none is left every open(), "
                            + "socket() and accept() on the host fails with ENFILE", allocated, max, share,
                    crit ? critical : warning),
                    Evidence.of("allocated", allocated, "file_max", max, "used_percent", Math.round(share * 10) / 10.0));
        }
        if (facts.busyProcesses() == null) {
            return;
        }
        facts.busyProcesses().stream().filter(x -> x.softLimit() > 0)
                .sorted(Comparator.comparingDouble((HostReader.ProcessFds x) -> (double) x.open() / x.softLimit()).reversed())
                .limit(10).forEach(x -> {
                    double used = 100.0 * x.open() / x.softLimit();
                    if (used < warning) {
                        return;
                    }
                    boolean crit = used >= critical;
                    out.finding(PROCESS_FD_HIGH, crit ? Severity.CRITICAL : Severity.WARNING, String.format(Locale.ROOT,
                            "pid %d (%s) has %d files open of its soft limit %d (%.0f%%): at the limit it gets 'Too many "
                                    + "open files' (EMFILE) on every open and accept", x.pid(), x.command(), x.open(),
                            x.softLimit(), used),
                            Evidence.of("pid", x.pid(), "command", x.command(), "open", x.open(), "soft_limit",
                                    x.softLimit(), "used_percent", Math.round(used)),
                            x.pid() + " " + x.command());
                });
    }
}
