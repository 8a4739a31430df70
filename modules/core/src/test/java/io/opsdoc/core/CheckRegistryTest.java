package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider file's id comments let a command instantiate only the checks it names. */
class CheckRegistryTest {
    @TempDir
    Path tmp;

    /** A check that cannot even be constructed: any eager load of the registry would fail on it. */
    public static final class Exploding {
        public Exploding() {
            throw new IllegalStateException("instantiated although nobody asked for it");
        }
    }

    @Test
    void findInstantiatesOnlyTheNamedCheck() throws Exception {
        String file = "io.opsdoc.core.FakeCheck # fake-check\n" + Exploding.class.getName() + " # exploding\n";
        CheckRegistry r = with(file, CheckRegistry::load);
        assertThat(r.find("fake-check")).get().isInstanceOf(FakeCheck.class);
        assertThat(r.find("no-such-check")).isEmpty();
        assertThatThrownBy(r::all).hasMessageContaining("cannot load check " + Exploding.class.getName());
    }

    @Test
    void aWrongIdCommentIsRefusedWhenTheCheckLoads() throws Exception {
        CheckRegistry r = with("io.opsdoc.core.FakeCheck # fake\n", CheckRegistry::load);
        assertThatThrownBy(() -> r.find("fake")).hasMessageContaining("names io.opsdoc.core.FakeCheck 'fake', but its id "
                + "is 'fake-check'");
    }

    @Test
    void linesWithoutAnIdStillResolve() throws Exception {
        CheckRegistry r = with("# comment only\n\nio.opsdoc.core.FakeCheck\n", CheckRegistry::load);
        assertThat(r.find("fake-check")).isPresent();
        assertThat(r.all()).extracting(Check::id).containsExactly("fake-check");
    }

    @Test
    void twoClassesClaimingOneIdAreRefused() throws Exception {
        assertThatThrownBy(() -> with("io.opsdoc.core.FakeCheck # same\n" + Exploding.class.getName() + " # same\n",
                CheckRegistry::load)).hasMessageContaining("two checks share the id same");
    }

    private <T> T with(String providerFile, Callable<T> body) throws Exception {
        Path file = Files.writeString(tmp.resolve("providers"), providerFile);
        ClassLoader parent = getClass().getClassLoader();
        ClassLoader only = new ClassLoader(parent) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(CheckRegistry.PROVIDER_FILE) ? Collections.enumeration(java.util.List.of(file.toUri().toURL()))
                        : super.getResources(name);
            }
        };
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(only);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
