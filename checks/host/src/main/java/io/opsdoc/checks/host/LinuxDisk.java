package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.DiskCode.DELETED_OPEN_FILES;
import static io.opsdoc.checks.host.DiskCode.DISK_USAGE_CRITICAL;
import static io.opsdoc.checks.host.DiskCode.DISK_USAGE_WARNING;
import static io.opsdoc.checks.host.DiskCode.FS_READ_ONLY;

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
import io.opsdoc.core.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Is any file system (nearly) full or read-only, and is deleted-but-open data holding space? Usage is computed as
 * {@code df} does (blocks reserved for root count as used), per mount, from {@code df -P -T -k}.
 */
public final class LinuxDisk extends HostCheck<DiskFacts> {
    public static final String ID = "linux-disk";
    static final String NOTE = "linux/disk-usage";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("warning", ParameterType.PERCENT, "80%", "used share (as df's Use%) at which to warn"),
            new ParameterSpec("critical", ParameterType.PERCENT, "90%", "used share (as df's Use%) that is critical"),
            new ParameterSpec("mounts", ParameterType.STRING, "",
                    "comma-separated mount points or paths: check only the file systems holding them, of any type; "
                            + "empty = every mounted file system except ignore-types"),
            new ParameterSpec("ignore-types", ParameterType.STRING, Mounts.IGNORED_TYPES,
                    "file system types skipped when mounts is empty (pseudo and in-memory file systems)"),
            new ParameterSpec("deleted-warning", ParameterType.PERCENT, "5%",
                    "space held by deleted-but-open files, as a share of the file system, at which to warn "
                            + "(local: only; over SSH other users' open files are not visible)"));

    public LinuxDisk() {
        super(ID, "Is a file system of this Linux host full, read-only, or held by deleted open files?",
                DiskFacts.class, PARAMETERS, HostTransportCode.with(DiskCode.class), HostGrants.grants(ID,
                        "df -P -T -k (statfs of each mount point, which needs search permission on the path) and "
                                + "/proc/self/mounts; nothing else is read"));
    }

    @Override
    public DiskFacts collect(CheckContext context) throws Exception {
        List<String> requested = Mounts.paths(context.parameters().string("mounts"));
        return HostSession.with(context, host -> {
            List<Mounts.DfRow> rows = Mounts.parseDf(host.df(false, requested));
            if (rows.isEmpty()) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "df listed no file system");
            }
            Set<String> readOnly = Mounts.readOnly(host.read("/proc/self/mounts"));
            List<DiskFacts.Filesystem> filesystems = rows.stream().map(r -> new DiskFacts.Filesystem(r.device(),
                    r.type(), r.mountPoint(), r.total(), r.used(), r.available(), readOnly.contains(r.mountPoint())))
                    .toList();
            return new DiskFacts(HostTarget.of(context.target()).local() ? "local" : "ssh", requested, filesystems,
                    host.deletedOpenFiles());
        });
    }

    @Override
    public void evaluate(DiskFacts facts, Parameters p, Evaluation.Builder out) {
        double warning = p.percent("warning");
        double critical = p.percent("critical");
        Set<String> ignored = Mounts.types(p.string("ignore-types"));
        List<DiskFacts.Filesystem> checked = facts.filesystems().stream()
                .filter(f -> !facts.requested().isEmpty() || !ignored.contains(f.type())).toList();
        for (DiskFacts.Filesystem fs : checked) {
            usage(fs, warning, critical, out);
            if (fs.readOnly()) {
                out.finding(FS_READ_ONLY, Severity.WARNING, fs.mountPoint() + " (" + fs.device() + ", " + fs.type()
                        + ") is mounted read-only: every write to it fails; if nobody mounted it so on purpose, the "
                        + "kernel may have remounted it after I/O or file system errors (check dmesg)",
                        Evidence.of("mount", fs.mountPoint(), "device", fs.device(), "type", fs.type(), "options", "ro"),
                        fs.mountPoint());
            }
        }
        if (facts.deletedOpenFiles() != null) {
            deletedOpenFiles(facts.deletedOpenFiles(), checked, p.percent("deleted-warning"), out);
        }
    }

    private static void usage(DiskFacts.Filesystem fs, double warning, double critical, Evaluation.Builder out) {
        if (fs.sizeKib() <= 0 || fs.usedKib() < 0 || fs.availKib() < 0) {
            return;
        }
        double used = fs.usedPercent();
        out.metric(new Metric("disk_used_percent", round(used), "%", Map.of("mount", fs.mountPoint()), warning, critical));
        out.metric(new Metric("disk_available_bytes", fs.availKib() * 1024.0, "B", Map.of("mount", fs.mountPoint()),
                null, null));
        DiskCode code = used >= critical ? DISK_USAGE_CRITICAL : used >= warning ? DISK_USAGE_WARNING : null;
        if (code == null) {
            return;
        }
        double threshold = code == DISK_USAGE_CRITICAL ? critical : warning;
        out.finding(code, code == DISK_USAGE_CRITICAL ? Severity.CRITICAL : Severity.WARNING,
                fs.mountPoint() + " is " + dfPercent(used) + "% full (" + Mounts.human(fs.usedKib() * 1024) + " used, "
                        + Mounts.human(fs.availKib() * 1024) + " available to non-root users, " + fs.device() + " "
                        + fs.type() + "), at or above the " + (code == DISK_USAGE_CRITICAL ? "critical" : "warning")
                        + " threshold of " + trim(threshold) + "%",
                Evidence.of("mount", fs.mountPoint(), "used_percent", dfPercent(used), "used_kib", fs.usedKib(),
                        "available_kib", fs.availKib(), "size_kib", fs.sizeKib(), "threshold_percent", trim(threshold),
                        "device", fs.device(), "type", fs.type()),
                fs.mountPoint());
    }

    private static void deletedOpenFiles(List<HostReader.DeletedFile> files, List<DiskFacts.Filesystem> checked,
            double warningPercent, Evaluation.Builder out) {
        List<String> mounts = checked.stream().map(DiskFacts.Filesystem::mountPoint).toList();
        Map<String, List<HostReader.DeletedFile>> byMount = new LinkedHashMap<>();
        for (HostReader.DeletedFile f : files) {
            String m = Mounts.holding(f.path(), mounts);
            if (m != null) {
                byMount.computeIfAbsent(m, k -> new ArrayList<>()).add(f);
            }
        }
        for (DiskFacts.Filesystem fs : checked) {
            List<HostReader.DeletedFile> held = byMount.get(fs.mountPoint());
            if (held == null || fs.sizeKib() <= 0) {
                continue;
            }
            // one file opened by several fds or processes holds its space once
            Map<String, Long> perFile = new LinkedHashMap<>();
            held.forEach(f -> perFile.merge(f.path(), f.bytes(), Math::max));
            long bytes = perFile.values().stream().mapToLong(Long::longValue).sum();
            double percent = 100.0 * bytes / (fs.sizeKib() * 1024.0);
            if (percent < warningPercent) {
                continue;
            }
            List<String> biggest = held.stream().sorted(Comparator.comparingLong(HostReader.DeletedFile::bytes).reversed())
                    .limit(3).map(f -> "pid " + f.pid() + " (" + f.command() + ") fd " + f.fd() + ": " + f.path() + " "
                            + Mounts.human(f.bytes())).toList();
            HostReader.DeletedFile top = held.stream().max(Comparator.comparingLong(HostReader.DeletedFile::bytes)).get();
            out.finding(DELETED_OPEN_FILES, Severity.WARNING,
                    Mounts.human(bytes) + " on " + fs.mountPoint() + " (" + round(percent) + "% of it) belongs to "
                            + perFile.size() + " deleted file(s) still held open, e.g. " + top.path() + " by pid "
                            + top.pid() + " (" + top.command() + "); df counts it, du does not, and it is freed only "
                            + "when the process closes it or restarts",
                    Evidence.of("mount", fs.mountPoint(), "held_bytes", bytes, "held_percent", round(percent),
                            "files", perFile.size(), "largest", biggest),
                    fs.mountPoint());
        }
    }

    /** df's Use%: rounded up, so 90.1 % shows as 91. */
    static long dfPercent(double used) {
        return (long) Math.ceil(used - 1e-9);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
