package io.opsdoc.checks.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.ClientPool;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Run;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.memcached.MemcachedLab;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** opsdoc serve's case: the second scrape reuses the first one's connection instead of opening another. */
@Tag("lab")
class MemcachedPooledTest {
    @Test
    void theSecondRunReusesThePooledConnection() throws Exception {
        String why = MemcachedLab.unavailable();
        Assumptions.assumeTrue(why == null, why);
        MemcachedLab lab = MemcachedLab.shared();
        MemcachedStats check = new MemcachedStats();
        Parameters params = Parameters.resolve(check.id(), check.parameters(), Map.of("window", "200ms"));
        Target target = Target.parse(lab.target());
        try (ClientPool pool = ClientPool.keeping(2, Duration.ofMinutes(1))) {
            Runner runner = new Runner(pool);
            Run first = runner.run(check, target, params, Optional.empty(), Duration.ofSeconds(10));
            assertThat(first.report().status()).isEqualTo(Severity.OK);
            assertThat(pool.idle()).isEqualTo(1);
            long before = lab.totalConnections();
            Run second = runner.run(check, target, params, Optional.empty(), Duration.ofSeconds(10));
            assertThat(second.report().status()).isEqualTo(Severity.OK);
            assertThat(lab.totalConnections()).as("no new connection for the second run").isEqualTo(before + 1);
        }
    }
}
