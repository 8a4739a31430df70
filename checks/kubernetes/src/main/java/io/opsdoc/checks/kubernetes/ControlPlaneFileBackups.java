package io.opsdoc.checks.kubernetes;

import static io.opsdoc.checks.kubernetes.BackupCode.CONFIG_NOT_BACKED_UP;
import static io.opsdoc.checks.kubernetes.BackupCode.PKI_NOT_BACKED_UP;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The PKI and configuration half of {@code k8s-etcd-backup}: the newest archive matching {@code pki-backup} and
 * {@code config-backup} (both may name the same archive, as {@code tar -czf ... /etc/kubernetes} makes one), its age,
 * whether it is a whole tar (or tar.gz) and whether it holds what a rebuild needs. Judged only when the parameter is
 * set: there is no conventional place for these archives, and a default path would call every cluster unbacked.
 */
final class ControlPlaneFileBackups {
    /** kubeadm's "manual certificate distribution" set: everything else under pki can be re-issued from these. */
    static final String PKI_REQUIRED = "ca.crt,ca.key,sa.key,sa.pub,front-proxy-ca.crt,front-proxy-ca.key,etcd/ca.crt,"
            + "etcd/ca.key";
    static final String CONFIG_REQUIRED = "admin.conf,controller-manager.conf,scheduler.conf,"
            + "manifests/kube-apiserver.yaml,manifests/kube-controller-manager.yaml,manifests/kube-scheduler.yaml";

    static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("pki-backup", ParameterType.STRING, "", "the archives of /etc/kubernetes/pki: an absolute "
                    + "path whose last component may be a glob, e.g. /var/backups/kubernetes/pki-*.tar.gz; empty: not "
                    + "checked (PKI_NOT_BACKED_UP needs it)"),
            new ParameterSpec("pki-required", ParameterType.STRING, PKI_REQUIRED, "comma-separated paths relative to the "
                    + "pki directory that the newest PKI archive must hold (tar or tar.gz; other formats are judged by "
                    + "age and size only)"),
            new ParameterSpec("config-backup", ParameterType.STRING, "", "the archives of /etc/kubernetes (*.conf and "
                    + "manifests/): a path with a glob in its last component, may equal pki-backup; empty: not checked "
                    + "(CONFIG_NOT_BACKED_UP needs it)"),
            new ParameterSpec("config-required", ParameterType.STRING, CONFIG_REQUIRED, "comma-separated paths relative "
                    + "to /etc/kubernetes that the newest configuration archive must hold"),
            new ParameterSpec("files-max-age", ParameterType.DURATION, "8d", "age of the newest PKI or configuration "
                    + "archive that warns (they change rarely: a weekly job plus slack)"));

    private record Kind(String name, String parameter, String required, String anchor, BackupCode code, String what) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("pki", "pki-backup", "pki-required", "pki", PKI_NOT_BACKED_UP, "/etc/kubernetes/pki"),
            new Kind("config", "config-backup", "config-required", "kubernetes", CONFIG_NOT_BACKED_UP,
                    "the control-plane configuration (/etc/kubernetes/*.conf, manifests/)"));

    private ControlPlaneFileBackups() {
    }

    static void validate(Parameters p) {
        for (Kind k : KINDS) {
            String glob = p.string(k.parameter()).strip();
            if (!glob.isEmpty()) {
                FileGlob.parse(k.parameter(), glob);
            }
            if (required(p, k).isEmpty()) {
                throw new UsageException(k.required() + ": name at least one file the archive must hold");
            }
        }
    }

    /** Lists and reads the newest archive of each set parameter, once per distinct glob. */
    static List<BackupFacts.FilesBackup> collect(HostAccess.Host host, CheckContext context, String grantsHint)
            throws Exception {
        List<BackupFacts.FilesBackup> out = new ArrayList<>();
        Map<String, BackupFacts.FilesBackup> byGlob = new java.util.HashMap<>();
        for (Kind k : KINDS) {
            String pattern = context.parameters().string(k.parameter()).strip();
            if (pattern.isEmpty()) {
                continue;
            }
            BackupFacts.FilesBackup seen = byGlob.get(pattern);
            if (seen == null) {
                seen = newest(host, pattern, k.name(), context, grantsHint);
                byGlob.put(pattern, seen);
            }
            out.add(new BackupFacts.FilesBackup(k.name(), seen.pattern(), seen.matching(), seen.path(), seen.sizeBytes(),
                    seen.modified(), seen.format(), seen.read(), seen.entries(), seen.problem()));
        }
        return out;
    }

    private static BackupFacts.FilesBackup newest(HostAccess.Host host, String pattern, String kind,
            CheckContext context, String grantsHint) throws Exception {
        List<FileGlob.Match> files = host.files(FileGlob.parse(kind + "-backup", pattern), grantsHint);
        if (files.isEmpty()) {
            return new BackupFacts.FilesBackup(kind, pattern, 0, null, 0, null, null, false, List.of(), null);
        }
        FileGlob.Match m = files.get(0);
        String file = m.path().toString();
        TarListing.Listing l = m.bytes() == 0 ? TarListing.read(file, 0, java.io.InputStream.nullInputStream(), context)
                : host.stream(file, in -> TarListing.read(file, m.bytes(), in, context));
        return new BackupFacts.FilesBackup(kind, pattern, files.size(), file, m.bytes(),
                Instant.ofEpochMilli(m.modifiedMillis()), l.format(), l.read(), l.entries(), l.problem());
    }

    static void evaluate(BackupFacts facts, Parameters p, Evaluation.Builder out) {
        Duration maxAge = p.duration("files-max-age");
        for (BackupFacts.FilesBackup f : facts.files()) {
            Kind k = KINDS.stream().filter(x -> x.name().equals(f.kind())).findFirst().orElseThrow();
            out.metric(new Metric("kubernetes_files_backup_matching", f.matching(), "", Map.of("kind", f.kind()), null,
                    null));
            if (f.path() == null) {
                out.finding(k.code(), Severity.CRITICAL, "no file matches " + k.parameter() + "=" + f.pattern() + ": "
                        + "there is no backup of " + k.what() + ". " + consequence(k) + " Add it to the backup job "
                        + "(tar -czf) next to the etcd snapshot and keep a copy off the control-plane nodes",
                        Evidence.of(k.parameter(), f.pattern(), "matching", 0, "problem", "missing"));
                continue;
            }
            Duration age = Duration.between(f.modified(), facts.observedAt());
            out.metric(new Metric("kubernetes_files_backup_age_seconds", Math.max(0, age.toSeconds()), "s",
                    Map.of("kind", f.kind()), null, null));
            Evidence base = Evidence.of(k.parameter(), f.pattern(), "file", f.path(), "size_bytes", f.sizeBytes(),
                    "modified", f.modified().toString(), "age_hours", Math.round(age.toMinutes() / 6.0) / 10.0,
                    "format", f.format(), "contents_checked", f.read(), "matching", f.matching());
            if (f.problem() != null) {
                out.finding(k.code(), Severity.CRITICAL, "the newest backup of " + k.what() + ", " + f.path()
                        + ", cannot be unpacked: " + f.problem() + ". " + consequence(k) + " Write a new archive now, "
                        + "check it with tar -tzf, and make the job write to a temporary name and rename on success",
                        base.put("problem", f.problem()));
                continue;
            }
            List<String> required = required(p, k);
            List<String> absent = f.read() ? required.stream().filter(r -> !holds(f.entries(), k.anchor(), r)).toList()
                    : List.of();
            if (!absent.isEmpty()) {
                out.finding(k.code(), Severity.CRITICAL, "the newest backup of " + k.what() + ", " + f.path() + " ("
                        + f.entries().size() + " entries), lacks " + String.join(", ", absent) + ". " + consequence(k)
                        + " A job running tar as a user who cannot read the 0600 keys skips them with only a "
                        + "warning: run it as root (or from the etcd snapshot job) and check its exit status",
                        base.put("problem", "incomplete").put("absent", String.join(",", absent))
                                .put("required", String.join(",", required)));
                continue;
            }
            if (age.compareTo(maxAge) > 0) {
                out.finding(k.code(), Severity.WARNING, "the newest backup of " + k.what() + ", " + f.path() + ", was "
                        + "written " + Durations.human(age) + " ago (files-max-age " + p.raw().get("files-max-age")
                        + "): certificates renewed or manifests changed since are not in it; the backup job has "
                        + "stopped or writes elsewhere", base.put("problem", "stale").put("files-max-age",
                                p.raw().get("files-max-age")));
            }
        }
    }

    private static String consequence(Kind k) {
        return k.name().equals("pki")
                ? "Losing the control-plane disks then means a new cluster CA: every kubeconfig, kubelet and node "
                        + "must be re-issued and rejoined, and every service-account token becomes invalid."
                : "Losing the control-plane disks then means rewriting the static-pod manifests (every API server "
                        + "flag) and kubeconfigs by hand before the restored etcd can be served.";
    }

    private static List<String> required(Parameters p, Kind k) {
        return Arrays.stream(p.string(k.required()).split(",")).map(String::strip).map(TarListing::normalize)
                .filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Whether an entry is {@code required} relative to the backed-up directory, wherever the archive was rooted:
     * {@code tar -C /etc/kubernetes/pki .} stores {@code ca.key}, {@code tar -czf x /etc/kubernetes} stores
     * {@code etc/kubernetes/pki/ca.key}. Anchoring on the directory name keeps {@code ca.key} from matching
     * {@code etcd/ca.key}.
     */
    static boolean holds(List<String> entries, String anchor, String required) {
        for (String e : entries) {
            if (e.equals(required) || e.equals(anchor + "/" + required) || e.endsWith("/" + anchor + "/" + required)) {
                return true;
            }
        }
        return false;
    }
}
