package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Parameters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TarListing} on archives GNU tar writes in the formats the lab's scenarios do not use (plain tar, pax and GNU
 * long names, cut-off plain tar, other compressions), and {@link ControlPlaneFileBackups#holds} wherever the archive
 * was rooted.
 */
class BackupArchivesTest {
    @TempDir
    Path dir;

    private final CheckContext context = new CheckContext(io.opsdoc.core.Target.parse("local:"), Optional.empty(),
            Parameters.resolve("k8s-etcd-backup", List.of(), Map.of()), Instant.now().plus(Duration.ofMinutes(1)));

    @Test
    void plainTarAndLongNamesInBothFormats() throws Exception {
        Path pki = dir.resolve("etc/kubernetes/pki");
        Files.createDirectories(pki.resolve("etcd"));
        String deep = "d".repeat(120);
        Files.createDirectories(pki.resolve(deep));
        Files.writeString(pki.resolve("etcd/ca.key"), "key");
        Files.writeString(pki.resolve(deep).resolve("x.crt"), "crt");
        for (String format : List.of("gnu", "pax", "ustar")) {
            Path archive = dir.resolve("pki-" + format + ".tar");
            if (format.equals("ustar")) {
                tar("-C", dir.toString(), "--format=ustar", "-cf", archive.toString(), "etc/kubernetes/pki/etcd");
            } else {
                tar("-C", dir.toString(), "--format=" + format, "-cf", archive.toString(), "etc");
            }
            TarListing.Listing l = read(Files.readAllBytes(archive));
            assertThat(l.format()).isEqualTo("tar");
            assertThat(l.problem()).as(format).isNull();
            assertThat(l.entries()).contains("etc/kubernetes/pki/etcd/ca.key");
            if (!format.equals("ustar")) {
                assertThat(l.entries()).as(format).contains("etc/kubernetes/pki/" + deep + "/x.crt");
            }
            assertThat(ControlPlaneFileBackups.holds(l.entries(), "pki", "etcd/ca.key")).isTrue();
            assertThat(ControlPlaneFileBackups.holds(l.entries(), "pki", "ca.key")).as("etcd/ca.key is not ca.key")
                    .isFalse();
        }
    }

    @Test
    void cutOffPlainTarAndOtherFormats() throws Exception {
        Files.writeString(dir.resolve("admin.conf"), "x".repeat(5000));
        Path archive = dir.resolve("c.tar");
        tar("-C", dir.toString(), "-cf", archive.toString(), "admin.conf");
        byte[] b = Files.readAllBytes(archive);
        assertThat(read(Arrays.copyOf(b, 3000)).problem()).startsWith("truncated");
        byte[] damaged = b.clone();
        damaged[10] ^= 1; // a header byte: the checksum no longer adds up
        assertThat(read(damaged).problem()).contains("checksum");
        TarListing.Listing zstd = read(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0});
        assertThat(zstd.format()).isEqualTo("zstd");
        assertThat(zstd.read()).isFalse();
        assertThat(zstd.problem()).isNull();
        assertThat(read(new byte[0]).problem()).contains("empty");
    }

    @Test
    void entriesAnchorOnTheBackedUpDirectory() {
        assertThat(ControlPlaneFileBackups.holds(List.of("admin.conf", "manifests/kube-apiserver.yaml"), "kubernetes",
                "manifests/kube-apiserver.yaml")).isTrue();
        assertThat(ControlPlaneFileBackups.holds(List.of("kubernetes/admin.conf"), "kubernetes", "admin.conf")).isTrue();
        assertThat(ControlPlaneFileBackups.holds(List.of("etc/kubernetes/pki/ca.key"), "pki", "ca.key")).isTrue();
        assertThat(ControlPlaneFileBackups.holds(List.of("etc/kubernetes/pki/ca.crt"), "pki", "ca.key")).isFalse();
        assertThat(TarListing.normalize("./pki/ca.key")).isEqualTo("pki/ca.key");
    }

    private TarListing.Listing read(byte[] bytes) throws Exception {
        return TarListing.read("f", bytes.length, new ByteArrayInputStream(bytes), context);
    }

    private static void tar(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tar"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
