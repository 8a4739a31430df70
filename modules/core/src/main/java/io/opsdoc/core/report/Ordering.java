package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import java.util.Comparator;
import java.util.List;

/** Worst first, then by code, so every format lists findings in the order an operator should read them. */
final class Ordering {
    static final Comparator<Finding> WORST_FIRST = Comparator
            .comparingInt((Finding f) -> -f.severity().rank())
            .thenComparing(Finding::code)
            .thenComparing(f -> f.subject() == null ? "" : f.subject());

    private Ordering() {
    }

    static List<Finding> sorted(List<Finding> findings) {
        return findings.stream().sorted(WORST_FIRST).toList();
    }
}
