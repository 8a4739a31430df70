package io.opsdoc.checks.kubernetes;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes release table opsdoc keeps: the end-of-life date of each minor version, from kubernetes.io/releases,
 * as it stood on {@link #AS_OF}. Upstream maintains the three newest minors, each for about 14 months (12 of full
 * support, then 2 of maintenance mode). Keep this current: {@code k8s-version-support} says when the table is older
 * than six months, and the notes' table (which stops at 1.24) is not a source.
 */
final class KubeReleases {
    static final LocalDate AS_OF = LocalDate.of(2026, 12, 4);

    /** Minor version to end-of-life date. */
    static final Map<Integer, LocalDate> END_OF_LIFE = new TreeMap<>(Map.ofEntries(
            Map.entry(25, LocalDate.of(2023, 10, 28)),
            Map.entry(26, LocalDate.of(2024, 2, 28)),
            Map.entry(27, LocalDate.of(2024, 6, 28)),
            Map.entry(28, LocalDate.of(2024, 10, 28)),
            Map.entry(29, LocalDate.of(2025, 2, 28)),
            Map.entry(30, LocalDate.of(2025, 7, 15)),
            Map.entry(31, LocalDate.of(2025, 10, 28)),
            Map.entry(32, LocalDate.of(2026, 2, 28)),
            Map.entry(33, LocalDate.of(2026, 6, 28)),
            Map.entry(34, LocalDate.of(2026, 10, 27)),
            Map.entry(35, LocalDate.of(2027, 2, 28)),
            Map.entry(36, LocalDate.of(2027, 6, 28))));

    /** Every minor version before the first in the table ended long ago. */
    static final int OLDEST = 25;

    private KubeReleases() {
    }

    /** The end of life of {@code 1.<minor>}, or null when the table does not know it. */
    static LocalDate endOfLife(int minor) {
        return minor < OLDEST ? END_OF_LIFE.get(OLDEST) : END_OF_LIFE.get(minor);
    }

    static int newest() {
        return ((TreeMap<Integer, LocalDate>) END_OF_LIFE).lastKey();
    }
}
