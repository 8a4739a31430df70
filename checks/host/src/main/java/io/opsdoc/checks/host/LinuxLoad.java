package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.LoadCode.LOAD_HIGH;
import static io.opsdoc.checks.host.LoadCode.LOAD_RISING;

import io.opsdoc.core.CheckContext;
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
 * Is this host overloaded? Compares the load average with the number of online CPUs. On Linux the load counts
 * runnable tasks and tasks in uninterruptible sleep (D state, mostly waiting for I/O), so a high load with idle CPUs
 * points at storage, not at CPU.
 */
public final class LinuxLoad extends HostCheck<LoadFacts> {
    public static final String ID = "linux-load";
    static final String NOTE = "linux/load-cpu-memory-swap";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("per-cpu-warning", ParameterType.INTEGER, "2",
                    "5-minute load per online CPU at which to warn (node-mixin NodeSystemSaturation: 2)"),
            new ParameterSpec("per-cpu-critical", ParameterType.INTEGER, "4", "5-minute load per online CPU that is critical"),
            new ParameterSpec("rising-factor", ParameterType.INTEGER, "2",
                    "report LOAD_RISING (INFO) when the 1-minute load is this many times the 15-minute load and at least "
                            + "1 per CPU"));

    public LinuxLoad() {
        super(ID, "Is this Linux host overloaded (load average per CPU)?", LoadFacts.class, PARAMETERS,
                HostTransportCode.with(LoadCode.class),
                HostGrants.grants(ID, "cat of /proc/loadavg and /sys/devices/system/cpu/online"));
    }

    @Override
    public LoadFacts collect(CheckContext context) throws Exception {
        return HostSession.with(context, host -> new LoadFacts(host.read("/proc/loadavg").trim(),
                host.read("/sys/devices/system/cpu/online").trim()));
    }

    @Override
    public void evaluate(LoadFacts facts, Parameters p, Evaluation.Builder out) {
        String[] f = facts.loadavg().split("\\s+");
        double load1 = Double.parseDouble(f[0]);
        double load5 = Double.parseDouble(f[1]);
        double load15 = Double.parseDouble(f[2]);
        int cpus = ProcFiles.cpuCount(facts.cpusOnline());
        double perCpu5 = load5 / cpus;
        long warning = p.integer("per-cpu-warning");
        long critical = p.integer("per-cpu-critical");
        out.metric(Metric.of("load1", load1, ""));
        out.metric(Metric.of("load5", load5, ""));
        out.metric(Metric.of("load15", load15, ""));
        out.metric(new Metric("load5_per_cpu", round(perCpu5), "", Map.of(), (double) warning, (double) critical));
        out.metric(Metric.of("cpus_online", cpus, ""));
        Evidence evidence = Evidence.of("load1", load1, "load5", load5, "load15", load15, "cpus", cpus,
                "load5_per_cpu", round(perCpu5), "runnable_total", f.length > 3 ? f[3] : "");
        if (perCpu5 >= warning) {
            boolean crit = perCpu5 >= critical;
            out.finding(LOAD_HIGH, crit ? Severity.CRITICAL : Severity.WARNING, String.format(Locale.ROOT,
                    "5-minute load %.2f on %d CPU(s) is %.2f per CPU, at or above %d: tasks wait for CPU or, in D "
                            + "state, for I/O (compare with CPU idle and iowait)", load5, cpus, perCpu5,
                    crit ? critical : warning), evidence);
        }
        long factor = p.integer("rising-factor");
        if (load15 > 0 && load1 >= factor * load15 && load1 / cpus >= 1) {
            out.finding(LOAD_RISING, Severity.INFO, String.format(Locale.ROOT, "1-minute load %.2f is %.1f times the "
                    + "15-minute load %.2f: something started in the last minutes", load1, load1 / load15, load15),
                    evidence);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
