package io.opsdoc.lab.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PKI and configuration backups k8s-etcd-backup looks at beside the etcd snapshots: a kubeadm-shaped
 * {@code etc/kubernetes} tree (pki with the CA, front-proxy CA, etcd CA and service-account keys, the kubeconfigs, the
 * static-pod manifests) archived once by GNU tar the way backup jobs do, then copied into the backup directory fresh,
 * aged, cut off or replaced by an archive without the private keys.
 */
public final class ControlPlaneArchives {
    static final String PKI = "pki-20261204.tar.gz";
    static final String PKI_NEWER = "pki-20261205.tar.gz";
    static final String CONFIG = "kubernetes-config-20261204.tar.gz";
    static final String CONFIG_NEWER = "kubernetes-config-20261205.tar.gz";
    static final String WHOLE = "etc-kubernetes-20261204.tgz";

    private final Path dir;
    private final Path backups;

    private ControlPlaneArchives(Path dir, Path backups) {
        this.dir = dir;
        this.backups = backups;
    }

    /** Writes the tree from the lab's certificate files and makes the pristine archives with tar. */
    static ControlPlaneArchives make(Path dir, Path backups, Path certificate, Path key) {
        ControlPlaneArchives a = new ControlPlaneArchives(dir, backups);
        try {
            Path k8s = Files.createDirectories(dir.resolve("etc/kubernetes"));
            Path pki = Files.createDirectories(k8s.resolve("pki/etcd"));
            Files.createDirectories(k8s.resolve("manifests"));
            for (String ca : List.of("ca", "front-proxy-ca", "etcd/ca", "apiserver", "apiserver-kubelet-client",
                    "front-proxy-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client")) {
                Files.copy(certificate, k8s.resolve("pki/" + ca + ".crt"));
                Files.copy(key, k8s.resolve("pki/" + ca + ".key"));
            }
            Files.copy(key, pki.getParent().resolve("sa.key"));
            Files.writeString(pki.getParent().resolve("sa.pub"), "-----BEGIN PUBLIC KEY-----\nlab\n-----END PUBLIC KEY-----\n");
            for (String conf : List.of("admin", "super-admin", "controller-manager", "scheduler", "kubelet")) {
                Files.writeString(k8s.resolve(conf + ".conf"), "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n"
                        + "  cluster: {server: 'https://10.0.0.10:6443'}\n", StandardCharsets.UTF_8);
            }
            for (String m : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
                Files.writeString(k8s.resolve("manifests/" + m + ".yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n"
                        + "  name: " + m + "\n  namespace: kube-system\n", StandardCharsets.UTF_8);
            }
            // as backup jobs write them: pki alone, the configuration without pki, and all of /etc/kubernetes
            tar(k8s, a.pristine(PKI), "pki");
            tar(k8s, a.pristine(CONFIG), "--exclude=pki", ".");
            tar(dir.resolve("etc"), a.pristine(WHOLE), "kubernetes");
            tar(k8s, a.pristine(PKI_NEWER), "--exclude=*.key", "pki");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }

    private Path pristine(String name) {
        return dir.resolve("pristine-" + name);
    }

    /** The backup directory's archives back to whole ones written an hour ago (the directory was just emptied). */
    void reset() throws IOException {
        for (String name : List.of(PKI, CONFIG, WHOLE)) {
            Files.copy(pristine(name), backups.resolve(name));
            age(name, Duration.ofHours(1));
        }
    }

    /** The last PKI archive was written ten days ago: the weekly job stopped. */
    public void pkiStale() {
        age(PKI, Duration.ofDays(10));
    }

    /** Every PKI archive was deleted (or never written: the job backs up etcd only). */
    public void pkiGone() {
        delete(PKI);
    }

    /** The newest PKI archive was made without the private keys (tar run as a user who could not read them). */
    public void pkiWithoutKeys() {
        try {
            Files.copy(pristine(PKI_NEWER), backups.resolve(PKI_NEWER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest configuration archive was cut off halfway (disk full while the job wrote it). */
    public void configTruncated() {
        try {
            byte[] b = Files.readAllBytes(pristine(CONFIG));
            Files.write(backups.resolve(CONFIG_NEWER), Arrays.copyOf(b, b.length / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last configuration archive was written ten days ago. */
    public void configStale() {
        age(CONFIG, Duration.ofDays(10));
    }

    String pattern(String glob) {
        return backups.resolve(glob).toString();
    }

    private void age(String name, Duration age) {
        try {
            Files.setLastModifiedTime(backups.resolve(name), FileTime.from(Instant.now().minus(age)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(backups.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tar(Path from, Path archive, String... what) throws IOException {
        List<String> argv = new ArrayList<>(List.of("tar", "-C", from.toString(), "-czf", archive.toString()));
        argv.addAll(List.of(what));
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
