package io.opsdoc.checks.redis;

import io.opsdoc.lab.redis.RedisVersion;

/** Every test of {@link RedisTimeoutsLabTest} again, on the installed Redis 7 (Debian's redis-server). */
class Redis7TimeoutsLabTest extends RedisTimeoutsLabTest {
    @Override
    RedisVersion version() {
        return RedisVersion.V7;
    }
}
