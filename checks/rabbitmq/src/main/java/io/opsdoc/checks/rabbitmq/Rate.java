package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A counter's change over the broker's samples ({@code *_details.samples}: {@code {sample, timestamp}}, newest
 * first): from the oldest to the newest sample in the window asked for.
 */
record Rate(double change, long seconds) {

    /** Null when the broker kept fewer than two samples (the queue is newer than the window, or stats are off). */
    static Rate of(JsonNode details) {
        JsonNode samples = details == null ? null : details.get("samples");
        if (samples == null || !samples.isArray() || samples.size() < 2) {
            return null;
        }
        JsonNode newest = samples.get(0);
        JsonNode oldest = samples.get(samples.size() - 1);
        long ms = newest.path("timestamp").asLong() - oldest.path("timestamp").asLong();
        if (ms <= 0) {
            return null;
        }
        return new Rate(newest.path("sample").asDouble() - oldest.path("sample").asDouble(), ms / 1000);
    }

    double perSecond() {
        return seconds <= 0 ? 0 : change / seconds;
    }
}
