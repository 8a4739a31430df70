package io.opsdoc.lab.scenario;

/**
 * What a scenario breaks. Most faults change the lab and return nothing to undo ({@link Lab#heal()} undoes them);
 * a fault that must last exactly as long as the check (a held row lock, a running client loop) returns a handle that
 * is closed once the checks have run.
 */
@FunctionalInterface
public interface Fault<L> {
    AutoCloseable induce(L lab) throws Exception;

    /** A fault that {@link Lab#heal()} undoes. */
    static <L> Fault<L> of(ThrowingConsumer<L> change) {
        return lab -> {
            change.accept(lab);
            return null;
        };
    }

    /** The healthy counterpart: nothing is broken. */
    static <L> Fault<L> none() {
        return lab -> null;
    }

    @FunctionalInterface
    interface ThrowingConsumer<L> {
        void accept(L lab) throws Exception;
    }
}
