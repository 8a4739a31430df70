package io.opsdoc.lab.scenario;

import java.util.function.Supplier;

/**
 * One way to run a family's lab, e.g. Redis 6.2 (embedded) or Redis 7 (installed). Every scenario runs on every
 * variant unless it names the variants it needs.
 *
 * @param name        short, stable, used in test names and {@code opsdoc lab --variant}, e.g. {@code 7}
 * @param unavailable null when this variant can run on this machine, else why not (which package is missing)
 * @param start       starts a lab of this variant that the caller owns and closes
 * @param shared      the lab of this variant shared by every test class in this JVM (never closed by a test)
 */
public record LabVariant<L extends Lab>(String name, Supplier<String> unavailable, Supplier<L> start, Supplier<L> shared) {

    /** A family that runs one way only. */
    public static <L extends Lab> LabVariant<L> only(Supplier<L> start, Supplier<L> shared) {
        return new LabVariant<>("default", () -> null, start, shared);
    }
}
