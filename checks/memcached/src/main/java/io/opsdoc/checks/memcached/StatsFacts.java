package io.opsdoc.checks.memcached;

/**
 * Two {@code stats} answers taken {@code windowMillis} apart on one connection, and {@code stats settings}, each as
 * the server wrote it ({@code STAT name value} lines, without the closing {@code END}).
 */
public record StatsFacts(String first, String second, String settings, long windowMillis) {
}
