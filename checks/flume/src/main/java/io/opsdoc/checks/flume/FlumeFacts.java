package io.opsdoc.checks.flume;

import java.util.Map;

/**
 * Two readings of an agent's {@code /metrics}, {@code windowMs} apart (the window actually measured, see
 * SamplingWindow), each as Flume wrote it: component ({@code CHANNEL.c1}, {@code SINK.k1}, {@code SOURCE.r1}) to
 * attribute to value, values kept as the strings Flume sends.
 *
 * @param second null when no time was left for a second reading (nothing over the window is judged then)
 */
public record FlumeFacts(String url, Map<String, Map<String, String>> first, Map<String, Map<String, String>> second,
        long windowMs) {

    /** The latest reading. */
    public Map<String, Map<String, String>> last() {
        return second == null ? first : second;
    }
}
