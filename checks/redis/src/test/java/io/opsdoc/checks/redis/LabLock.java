package io.opsdoc.checks.redis;

import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * One lock per lab: the lab-backed test classes of one Redis version share one set of servers (and heal them
 * between tests), so they run one after the other; the Redis 6.2 and Redis 7 classes use separate labs and run side
 * by side (junit-platform.properties), which keeps the second version from doubling the module's test time. A class
 * is on Redis 7 when its name starts with "Redis7" (each overrides {@code version()} to match).
 */
public final class LabLock implements ResourceLocksProvider {
    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        String key = testClass.getSimpleName().startsWith("Redis7") ? "opsdoc-redis-lab-7" : "opsdoc-redis-lab-6.2";
        return Set.of(new Lock(key, ResourceAccessMode.READ_WRITE));
    }
}
