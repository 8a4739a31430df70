package io.opsdoc.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code perSecond} requests a second with bursts of twice that. It protects the
 * probed servers from a runaway scraper or a webhook loop, not opsdoc from a flood (that is the job of the probe
 * slots and queues of ProbeScheduler, and of the HTTP thread pool).
 * The map is bounded: when full it is cleared, which at worst forgives a few clients for a second.
 */
final class RateLimiter {
    private static final int MAX_CLIENTS = 10_000;
    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, perSecond * 2);
    }

    boolean enabled() {
        return perSecond > 0;
    }

    boolean allow(String client) {
        if (!enabled()) {
            return true;
        }
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear();
        }
        double[] b = buckets.computeIfAbsent(client, k -> new double[] {burst, System.nanoTime()});
        synchronized (b) {
            long now = System.nanoTime();
            b[0] = Math.min(burst, b[0] + (now - b[1]) / 1e9 * perSecond);
            b[1] = now;
            if (b[0] >= 1) {
                b[0] -= 1;
                return true;
            }
            return false;
        }
    }
}
