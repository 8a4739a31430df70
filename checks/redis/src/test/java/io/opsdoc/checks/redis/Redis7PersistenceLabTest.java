package io.opsdoc.checks.redis;

import org.junit.jupiter.api.Tag;
import io.opsdoc.lab.redis.RedisVersion;

/** Every test of {@link RedisPersistenceLabTest} again, on the installed Redis 7 (Debian's redis-server). */
@Tag("lab")
class Redis7PersistenceLabTest extends RedisPersistenceLabTest {
    @Override
    RedisVersion version() {
        return RedisVersion.V7;
    }
}
