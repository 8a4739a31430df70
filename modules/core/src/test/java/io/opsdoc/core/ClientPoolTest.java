package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientPoolTest {
    private final AtomicInteger opened = new AtomicInteger();
    private final List<Integer> closed = new ArrayList<>();

    private CheckContext context(String uri, String password) {
        return new CheckContext(Target.parse(uri), Optional.ofNullable(password).map(p -> Secret.of(p, "test")),
                Parameters.resolve("x", List.of(), Map.of()), Instant.now().plusSeconds(5));
    }

    private ClientPool.Lease<Integer> lease(ClientPool pool, CheckContext c) throws Exception {
        return pool.lease("fake", c, opened::incrementAndGet, closed::add);
    }

    @Test
    void noneOpensAndClosesEveryTime() throws Exception {
        CheckContext c = context("mysql://u@db1:3306", "pw");
        try (ClientPool.Lease<Integer> l = lease(ClientPool.none(), c)) {
            assertThat(l.reused()).isFalse();
        }
        try (ClientPool.Lease<Integer> l = lease(ClientPool.none(), c)) {
            assertThat(l.client()).isEqualTo(2);
        }
        assertThat(closed).containsExactly(1, 2);
    }

    @Test
    void keepingReusesHealthyClientsPerTargetAndCredential() throws Exception {
        try (ClientPool pool = ClientPool.keeping(2, Duration.ofMinutes(1))) {
            CheckContext c = context("mysql://u@db1:3306", "pw");
            try (ClientPool.Lease<Integer> l = lease(pool, c)) {
                assertThat(l.reused()).isFalse();
            }
            try (ClientPool.Lease<Integer> l = lease(pool, c)) {
                assertThat(l.reused()).isTrue();
                assertThat(l.client()).isEqualTo(1);
            }
            try (ClientPool.Lease<Integer> other = lease(pool, context("mysql://u@db2:3306", "pw"));
                    ClientPool.Lease<Integer> rotated = lease(pool, context("mysql://u@db1:3306", "new-pw"))) {
                assertThat(other.reused()).isFalse();
                assertThat(rotated.reused()).as("a changed password never gets the old session").isFalse();
            }
            assertThat(pool.idle()).isEqualTo(3);
            assertThat(closed).isEmpty();
        }
        assertThat(closed).as("closing the pool closes what it kept").containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void brokenClientsAreClosedNotKeptAndTheIdleLimitHolds() throws Exception {
        try (ClientPool pool = ClientPool.keeping(1, Duration.ofMinutes(1))) {
            CheckContext c = context("kafka://b1:9092", null);
            try (ClientPool.Lease<Integer> l = lease(pool, c)) {
                l.broken();
            }
            assertThat(closed).containsExactly(1);
            ClientPool.Lease<Integer> a = lease(pool, c);
            ClientPool.Lease<Integer> b = lease(pool, c);
            a.close();
            b.close();
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(closed).containsExactly(1, 3);
        }
    }

    @Test
    void idleClientsExpire() throws Exception {
        try (ClientPool pool = ClientPool.keeping(2, Duration.ofMillis(50))) {
            CheckContext c = context("mysql://u@db1:3306", "pw");
            lease(pool, c).close();
            Thread.sleep(120);
            try (ClientPool.Lease<Integer> l = lease(pool, c)) {
                assertThat(l.reused()).isFalse();
            }
            assertThat(closed).containsExactly(1);
        }
    }
}
