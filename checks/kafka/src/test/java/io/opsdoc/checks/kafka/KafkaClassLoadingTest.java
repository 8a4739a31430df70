package io.opsdoc.checks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client must load only when a Kafka check runs: discovering every check, listing their codes,
 * parameters and grants (what `opsdoc list`, `grants` and any MySQL run do) must not load a single
 * org.apache.kafka class. Proven in a fresh class loader that records every class it defines.
 */
class KafkaClassLoadingTest {

    /** Child-first over the test class path; parent is the platform loader, so every app class passes through here. */
    static final class RecordingLoader extends URLClassLoader {
        final List<String> loaded = Collections.synchronizedList(new ArrayList<>());

        RecordingLoader(URL[] urls) {
            super("recording", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> c = super.findClass(name);
            loaded.add(name);
            return c;
        }
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    @Test
    void discoveringAndDescribingEveryCheckLoadsNoKafkaClass() throws Exception {
        try (RecordingLoader loader = new RecordingLoader(classPath())) {
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            List<String> ids = new ArrayList<>();
            try {
                Class<?> registry = loader.loadClass("io.opsdoc.core.CheckRegistry");
                Object r = registry.getMethod("load").invoke(null);
                for (Object check : (List<?>) registry.getMethod("all").invoke(r)) {
                    Class<?> api = loader.loadClass("io.opsdoc.core.Check");
                    for (String m : List.of("id", "title", "targetScheme", "parameters", "codes", "grants", "factsType")) {
                        Method method = api.getMethod(m);
                        Object v = method.invoke(check);
                        if (m.equals("id")) {
                            ids.add((String) v);
                        }
                    }
                }
            } finally {
                t.setContextClassLoader(before);
            }
            assertThat(ids).contains(KafkaIsr.ID);
            assertThat(loader.loaded).contains("io.opsdoc.checks.kafka.KafkaIsr");
            assertThat(loader.loaded).filteredOn(n -> n.startsWith("org.apache.kafka.")).isEmpty();
            assertThat(loader.loaded).doesNotContain("org.apache.kafka.clients.admin.Admin");
        }
    }

    @Test
    void evaluatingRecordedFactsLoadsNoKafkaClassEither() throws Exception {
        try (RecordingLoader loader = new RecordingLoader(classPath())) {
            Class<?> probe = loader.loadClass(KafkaClassLoadingTest.class.getName() + "$EvaluateOffline");
            probe.getMethod("run").invoke(null);
            assertThat(loader.loaded).contains("io.opsdoc.checks.kafka.TopicsFacts");
            assertThat(loader.loaded).filteredOn(n -> n.startsWith("org.apache.kafka.")).isEmpty();
        }
    }

    /** Loaded in the recording loader: replay-style evaluation of every Kafka check on synthetic facts. */
    public static final class EvaluateOffline {
        public static void run() {
            SyntheticFacts.evaluateAllChecksOnce();
        }
    }
}
