package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.InodeCode.INODES_CRITICAL;
import static io.opsdoc.checks.host.InodeCode.INODES_WARNING;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Is a file system running out of inodes? A file system with free blocks but no free inodes refuses to create any
 * file ("No space left on device" with df showing room), typically after millions of small files.
 */
public final class LinuxInodes extends HostCheck<InodeFacts> {
    public static final String ID = "linux-inodes";
    static final String NOTE = "linux/inodes";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "80%", "used share of inodes (df -i IUse%) at which to warn"),
            new ParameterSpec("critical", ParameterType.PERCENT, "90%", "used share of inodes that is critical"),
            new ParameterSpec("mounts", ParameterType.STRING, "",
                    "comma-separated mount points or paths: check only the file systems holding them, of any type; "
                            + "empty = every mounted file system except ignore-types"),
            new ParameterSpec("ignore-types", ParameterType.STRING, Mounts.IGNORED_TYPES,
                    "file system types skipped when mounts is empty"));

    public LinuxInodes() {
        super(ID, "Is a file system of this Linux host running out of inodes?", InodeFacts.class, PARAMETERS,
                HostTransportCode.with(InodeCode.class), HostGrants.grants(ID,
                        "df -P -T -i (statfs of each mount point, which needs search permission on the path)"));
    }

    @Override
    public InodeFacts collect(CheckContext context) throws Exception {
        List<String> requested = Mounts.paths(context.parameters().string("mounts"));
        return HostSession.with(context, host -> {
            List<Mounts.DfRow> rows = Mounts.parseDf(host.df(true, requested));
            if (rows.isEmpty()) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "df -i listed no file system");
            }
            return new InodeFacts(requested, rows.stream().map(r -> new InodeFacts.Inodes(r.device(), r.type(),
                    r.mountPoint(), r.total(), r.used(), r.available())).toList());
        });
    }

    @Override
    public void evaluate(InodeFacts facts, Parameters p, Evaluation.Builder out) {
        double warning = p.percent("warning");
        double critical = p.percent("critical");
        Set<String> ignored = Mounts.types(p.string("ignore-types"));
        for (InodeFacts.Inodes fs : facts.filesystems()) {
            if (facts.requested().isEmpty() && ignored.contains(fs.type())) {
                continue;
            }
            if (fs.total() <= 0 || fs.used() < 0 || fs.free() < 0) {
                continue; // no fixed inode table: nothing to run out of
            }
            double used = fs.usedPercent();
            out.metric(new Metric("inodes_used_percent", Math.round(used * 10) / 10.0, "%", Map.of("mount", fs.mountPoint()),
                    warning, critical));
            InodeCode code = used >= critical ? INODES_CRITICAL : used >= warning ? INODES_WARNING : null;
            if (code == null) {
                continue;
            }
            double threshold = code == INODES_CRITICAL ? critical : warning;
            out.finding(code, code == INODES_CRITICAL ? Severity.CRITICAL : Severity.WARNING,
                    fs.mountPoint() + " has used " + LinuxDisk.dfPercent(used) + "% of its inodes (" + fs.used() + " of "
                            + fs.total() + ", " + fs.free() + " free): new files fail with 'No space left on device' "
                            + "when none is left, whatever df shows for space",
                    Evidence.of("mount", fs.mountPoint(), "inodes_used_percent", LinuxDisk.dfPercent(used), "inodes_used",
                            fs.used(), "inodes_free", fs.free(), "inodes_total", fs.total(), "threshold_percent",
                            threshold, "type", fs.type()),
                    fs.mountPoint());
        }
    }
}
