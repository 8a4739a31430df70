package io.opsdoc.checks.redis;

/**
 * One JUnit resource lock per Redis lab: every test that uses a version's shared lab (its scenarios, and the
 * hand-written tests) takes that version's lock, so the tests of one lab run one after the other (they heal and break
 * the same servers) while the Redis 6.2 and Redis 7 labs run side by side (junit-platform.properties), which keeps
 * the second version from doubling the module's test time.
 *
 * <p>The lock goes on a {@code @TestFactory} per version, not on a parameterized class or method: JUnit takes a
 * class's or method's locks before it knows the parameters, so a test parameterized over the versions would have to
 * hold both labs' locks at once.
 */
final class LabLock {
    static final String REDIS_6_2 = "opsdoc-redis-lab-6.2";
    static final String REDIS_7 = "opsdoc-redis-lab-7";
    /**
     * The lab's other part ({@code RedisLab.Part.GROUPS}: Sentinels, Clusters, TLS): the scenarios of each part run
     * side by side under one lock each, and a test that heals the whole lab holds both.
     */
    static final String REDIS_6_2_GROUPS = "opsdoc-redis-lab-6.2-groups";
    static final String REDIS_7_GROUPS = "opsdoc-redis-lab-7-groups";

    private LabLock() {
    }
}
