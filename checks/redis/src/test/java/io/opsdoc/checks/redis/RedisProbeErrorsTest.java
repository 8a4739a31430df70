package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Finding;
import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import io.opsdoc.lab.SilentTcpServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failures that need no Redis: a server that never answers, and TLS options that are wrong before any connection. */
class RedisProbeErrorsTest {

    @Test
    void aServerThatNeverAnswersIsUnknownWithinTheTimeout() {
        try (SilentTcpServer silent = SilentTcpServer.start()) {
            long t0 = System.nanoTime();
            Report r = run(new RedisTimeouts(), "redis://" + silent.host() + ":" + silent.port(), null,
                    Map.of("window", "1s"), Duration.ofSeconds(3));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
            assertThat(r.findings()).extracting(Finding::code).containsExactly("TIMEOUT");
            assertThat(ms).isLessThan(3_000 + 1_500);
        }
    }

    @Test
    void badTlsOptionsAreUsageErrors() {
        RedisTimeouts check = new RedisTimeouts();
        assertThatThrownBy(() -> run(check, "rediss://127.0.0.1:6379?cacert=/nonexistent.pem", null, Map.of(),
                Duration.ofSeconds(5))).isInstanceOf(UsageException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> run(check, "rediss://127.0.0.1:6379?verify=no", null, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option 'verify'");
        assertThatThrownBy(() -> run(check, "redis://127.0.0.1:6379?cacert=/x.pem", null, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(UsageException.class).hasMessageContaining("rediss://");
    }
}
