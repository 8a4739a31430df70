package io.opsdoc.lab.flume;

import io.opsdoc.lab.ExternalBinary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where Apache Flume's jars are: the lab runs the agent as a child JVM with this directory as its class path, never
 * inside the lab's JVM (Flume's Netty 4.1.72, Jetty 9.4 and Guava 11 would mix with the lab's own). The module
 * modules/lab-flume copies them from Maven Central into its target/flume-runtime; cli's distribution ships that as
 * lab/flume beside the lab's jars. Looked for, in order: {@code -Dopsdoc.lab.flume.runtime=DIR}, {@code lab/flume}
 * beside the lab's jar (the distribution), {@code modules/lab-flume/target/flume-runtime} of the source tree the
 * lab's classes were built in.
 */
final class FlumeRuntime {
    static final String PROPERTY = "opsdoc.lab.flume.runtime";

    private FlumeRuntime() {
    }

    /** The directory of Flume's jars, if one of the candidates holds flume-ng-node. */
    static Optional<Path> find() {
        return candidates().stream().filter(FlumeRuntime::holdsFlume).findFirst();
    }

    /** Null when the lab can run, else why not: where it looked and how to get the jars. */
    static String unavailable() {
        if (find().isPresent()) {
            return null;
        }
        String why = "Apache Flume's jars (org.apache.flume:flume-ng-node 1.11.0 from Maven Central) were not found in "
                + String.join(", ", candidates().stream().map(Path::toString).toList()) + ": in a source tree run "
                + "'./mvnw -pl modules/lab-flume generate-resources' (or any build that includes that module); a "
                + "distribution carries them in lab/flume; or set -D" + PROPERTY + "=DIR to a directory of them";
        if (ExternalBinary.inCi()) {
            throw new IllegalStateException("CI=true and " + why);
        }
        return why;
    }

    static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            c.add(Path.of(property));
        }
        Path here = codeSource();
        if (here != null) {
            if (Files.isRegularFile(here)) {
                // the distribution: lab/opsdoc-lab-VERSION.jar, and Flume in lab/flume
                c.add(here.getParent().resolve("flume"));
            }
            // the source tree: modules/lab/target/classes (or the lab's jar in modules/lab/target)
            for (Path p = here; p != null; p = p.getParent()) {
                if (p.getFileName() != null && p.getFileName().toString().equals("target")
                        && p.getParent() != null && p.getParent().getParent() != null) {
                    c.add(p.getParent().getParent().resolve("lab-flume/target/flume-runtime"));
                    break;
                }
            }
        }
        return c;
    }

    private static Path codeSource() {
        try {
            var source = FlumeRuntime.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean holdsFlume(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("flume-ng-node-"));
        } catch (IOException e) {
            return false;
        }
    }
}
