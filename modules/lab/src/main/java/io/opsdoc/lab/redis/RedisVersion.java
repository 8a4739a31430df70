package io.opsdoc.lab.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * Which redis-server binary a lab runs: the Redis 6.2 that embedded-redis ships in its jar (always there), or the
 * Redis 7.x of the operating system ({@code /usr/bin/redis-server} from the Debian package, or the path in the
 * environment variable {@code OPSDOC_REDIS7_SERVER}).
 */
public enum RedisVersion {
    /** Redis 6.2 from embedded-redis's jar. */
    V6_2("6.2"),
    /** Redis 7.x installed on the machine (Debian 'redis-server'). */
    V7("7");

    /** Where the Debian package installs the server. */
    public static final String SYSTEM_BINARY = "/usr/bin/redis-server";
    /** Environment variable naming another Redis 7 binary. */
    public static final String BINARY_ENV = "OPSDOC_REDIS7_SERVER";

    private final String label;
    private File binary;
    private String detectedVersion;

    RedisVersion(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True when this version's binary can be run here (always for 6.2; for 7 when a 7.x binary is installed). */
    public synchronized boolean available() {
        if (this == V6_2) {
            return true;
        }
        Path p = systemCandidate();
        if (!Files.isExecutable(p)) {
            return false;
        }
        String v = versionOf(p);
        return v != null && v.startsWith("7.");
    }

    /**
     * Why {@link #available()} is false, for a test's skip or failure message; null when it is available.
     */
    public String unavailableReason() {
        if (available()) {
            return null;
        }
        Path p = systemCandidate();
        if (!Files.isExecutable(p)) {
            return "no Redis 7 redis-server at " + p + " (install the Debian package 'redis-server', or set "
                    + BINARY_ENV + ")";
        }
        return p + " is Redis " + versionOf(p) + ", not 7.x";
    }

    /** The binary to run; extracts embedded-redis's once per JVM for 6.2. */
    public synchronized File binary() {
        if (binary != null) {
            return binary;
        }
        if (this == V6_2) {
            File f;
            try {
                f = ExecutableProvider.newJarResourceProvider().get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the embedded redis-server binary", e);
            }
            if (!f.canExecute() && !f.setExecutable(true)) {
                throw new IllegalStateException("cannot make " + f + " executable");
            }
            binary = f;
        } else {
            String why = unavailableReason();
            if (why != null) {
                throw new IllegalStateException(why);
            }
            binary = systemCandidate().toFile();
        }
        return binary;
    }

    private static Path systemCandidate() {
        String env = System.getenv(BINARY_ENV);
        return Path.of(env != null && !env.isBlank() ? env : SYSTEM_BINARY);
    }

    /** {@code redis-server --version} → "7.0.15", or null when it cannot be run. */
    private synchronized String versionOf(Path p) {
        if (detectedVersion != null) {
            return detectedVersion;
        }
        try {
            Process proc = new ProcessBuilder(List.of(p.toString(), "--version")).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes());
            proc.waitFor();
            int i = out.indexOf("v=");
            if (i < 0) {
                return null;
            }
            int end = out.indexOf(' ', i);
            detectedVersion = out.substring(i + 2, end < 0 ? out.length() : end).trim();
            return detectedVersion;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
