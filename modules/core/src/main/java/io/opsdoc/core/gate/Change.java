package io.opsdoc.core.gate;

/** A finding compared with a baseline report, by fingerprint. */
public enum Change {
    NEW, PERSISTING, RESOLVED
}
