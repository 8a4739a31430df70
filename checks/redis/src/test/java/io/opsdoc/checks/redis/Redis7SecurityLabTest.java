package io.opsdoc.checks.redis;

import io.opsdoc.lab.redis.RedisVersion;

/** Every test of {@link RedisSecurityLabTest} again, on the installed Redis 7 (Debian's redis-server). */
class Redis7SecurityLabTest extends RedisSecurityLabTest {
    @Override
    RedisVersion version() {
        return RedisVersion.V7;
    }
}
