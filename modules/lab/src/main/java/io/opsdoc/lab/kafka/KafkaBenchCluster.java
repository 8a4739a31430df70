package io.opsdoc.lab.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * For bench/kafka-isr: starts the lab cluster, adds {@code --topics} topics of {@code --partitions-per-topic}
 * partitions (RF 3, min.insync.replicas 2), stops one broker, writes the bootstrap servers to {@code --ready-file},
 * and runs until its standard input closes (or it is killed).
 */
public final class KafkaBenchCluster {
    private KafkaBenchCluster() {
    }

    public static void main(String[] args) throws Exception {
        int topics = 100;
        int perTopic = 40;
        Path ready = Path.of("bootstrap.txt");
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--topics" -> topics = Integer.parseInt(args[i + 1]);
                case "--partitions-per-topic" -> perTopic = Integer.parseInt(args[i + 1]);
                case "--ready-file" -> ready = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        try (KafkaClusterLab lab = KafkaClusterLab.start()) {
            long started = System.nanoTime();
            List<NewTopic> batch = new ArrayList<>();
            for (int t = 0; t < topics; t++) {
                batch.add(new NewTopic(String.format("bench-%04d", t), perTopic, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")));
                if (batch.size() == 20 || t == topics - 1) {
                    lab.admin().createTopics(batch).all().get(5, TimeUnit.MINUTES);
                    batch.clear();
                }
            }
            long created = System.nanoTime();
            int victim = lab.stopOneBroker();
            long stopped = System.nanoTime();
            System.err.printf("cluster up in %.1fs, %d partitions created in %.1fs, broker %d stopped in %.1fs%n",
                    (started - t0) / 1e9, topics * perTopic, (created - started) / 1e9, victim, (stopped - created) / 1e9);
            writeAtomically(ready, lab.bootstrapServers());
            while (System.in.read() >= 0) {
                // run until the bench script closes our stdin
            }
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
