package io.opsdoc.lab.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates of dockerd's TLS listener, made with openssl the way Docker's "protect the daemon socket" guide
 * does: a lab CA, a server certificate for 127.0.0.1 (serverAuth), a client certificate (clientAuth) whose key is in
 * the traditional PKCS#1 form older openssl writes, laid out as a DOCKER_CERT_PATH directory (ca.pem, cert.pem,
 * key.pem); and a second, unrelated CA for the "wrong CA" scenario.
 */
final class DockerTlsFiles {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;

    private DockerTlsFiles(Path dir) {
        this.dir = dir;
    }

    static DockerTlsFiles make(Path dir) {
        DockerTlsFiles t = new DockerTlsFiles(dir);
        try {
            Files.createDirectories(dir.resolve("client"));
            t.ca("ca", "opsdoc lab docker CA");
            t.ca("other-ca", "some other CA");
            t.leaf("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", false);
            t.leaf("client/", "opsdoc-monitor", "extendedKeyUsage=clientAuth\n", true);
            Files.copy(dir.resolve("ca.pem"), dir.resolve("client/ca.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    /**
     * dockerd's flags: serve the server certificate, and verify clients against the lab CA with {@code verify}.
     * Without it the CA is still named: dockerd 20.10 loads a CA file even with --tls alone (else ~/.docker/ca.pem),
     * and asks no client for a certificate.
     */
    List<String> daemonArgs(boolean verify) {
        List<String> a = new ArrayList<>();
        if (verify) {
            a.add("--tlsverify");
        } else {
            a.add("--tls");
        }
        a.addAll(List.of("--tlscacert", dir.resolve("ca.pem").toString(), "--tlscert",
                dir.resolve("server-cert.pem").toString(), "--tlskey", dir.resolve("server-key.pem").toString()));
        return a;
    }

    /** The DOCKER_CERT_PATH-style directory of the client: ca.pem, cert.pem, key.pem. */
    Path clientDir() {
        return dir.resolve("client");
    }

    Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    private void ca(String name, String cn) throws IOException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                dir.resolve(name + "-key.pem").toString(), "-out", dir.resolve(name + ".pem").toString(), "-days", "30",
                "-subj", "/CN=" + cn);
    }

    /** A key and a certificate signed by the lab CA; "client/" writes client/key.pem and client/cert.pem. */
    private void leaf(String name, String cn, String extensions, boolean rsaPkcs1) throws IOException {
        boolean inDir = name.endsWith("/");
        Path key = dir.resolve(inDir ? name + "key.pem" : name + "-key.pem");
        Path cert = dir.resolve(inDir ? name + "cert.pem" : name + "-cert.pem");
        Path csr = dir.resolve(cn + ".csr");
        Path ext = dir.resolve(cn + ".ext");
        Files.writeString(ext, extensions);
        if (rsaPkcs1) {
            openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        } else {
            openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        }
        openssl("req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve("ca.pem").toString(), "-CAkey",
                dir.resolve("ca-key.pem").toString(), "-CAcreateserial", "-days", "30", "-out", cert.toString(),
                "-extfile", ext.toString());
    }

    private static void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: openssl " + args[0], e);
        }
    }
}
