package io.opsdoc.lab.mysql;

import java.util.ArrayList;
import java.util.List;

/** Several fault handles closed as one, last opened first; every handle is closed even when one fails. */
final class Undo implements AutoCloseable {
    private final List<AutoCloseable> steps = new ArrayList<>();

    <T extends AutoCloseable> T add(T step) {
        steps.add(step);
        return step;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = steps.size() - 1; i >= 0; i--) {
            try {
                steps.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("cannot undo a fault step", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        steps.clear();
        if (first != null) {
            throw first;
        }
    }
}
