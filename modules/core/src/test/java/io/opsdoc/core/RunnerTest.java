package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerTest {
    private final Runner runner = new Runner();
    private final Target target = Target.parse("fake://user@host1:1234");

    private Report run(FakeCheck check, Optional<Secret> secret, Duration timeout) {
        Parameters p = Parameters.resolve(check.id(), check.parameters(), Map.of());
        return runner.run(check, target, p, secret, timeout).report();
    }

    private Report run(FakeCheck check) {
        return run(check, Optional.empty(), Duration.ofSeconds(5));
    }

    @Test
    void evaluatesCollectedFacts() {
        Report r = run(new FakeCheck(() -> new FakeCheck.Facts(42)));
        assertThat(r.status()).isEqualTo(Severity.CRITICAL);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("VALUE_HIGH");
            assertThat(f.note()).isEqualTo("test/fake#value-high");
            assertThat(f.evidence()).containsEntry("value", 42L);
            assertThat(f.fingerprint()).isEqualTo(Finding.fingerprint("fake-check", target.display(), "VALUE_HIGH", null));
        });
        assertThat(run(new FakeCheck(() -> new FakeCheck.Facts(1))).status()).isEqualTo(Severity.OK);
    }

    @Test
    void aHangingCollectBecomesTimeoutWithinTheDeadline() {
        long t0 = System.nanoTime();
        Report r = run(new FakeCheck(() -> {
            Thread.sleep(60_000);
            return null;
        }), Optional.empty(), Duration.ofMillis(500));
        assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1500);
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("TIMEOUT");
            assertThat(f.summary()).contains("within 500ms");
            assertThat(f.note()).isEqualTo("opsdoc/probe-errors#timeout");
        });
    }

    @Test
    void networkFailuresAreClassified() {
        assertThat(run(new FakeCheck(() -> {
            throw new Exception("wrapped", new UnknownHostException("nohost"));
        })).findings().get(0)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("UNREACHABLE");
            assertThat(f.summary()).contains("cannot resolve host 'host1'");
        });
        assertThat(run(new FakeCheck(() -> {
            throw new ConnectException("Connection refused");
        })).findings().get(0).summary()).contains("connection refused by host1:1234");
        assertThat(run(new FakeCheck(() -> {
            throw new SocketTimeoutException("Read timed out");
        })).findings().get(0).code()).isEqualTo("TIMEOUT");
    }

    @Test
    void aCheckSpecificReasonWins() {
        Report r = run(new FakeCheck(() -> {
            throw new ProbeException(ProbeErrors.AUTH_FAILED, "access denied for user 'user'");
        }));
        assertThat(r.findings().get(0).code()).isEqualTo("AUTH_FAILED");
        assertThat(r.findings().get(0).severity()).isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void theSecretIsMaskedInEveryMessage() {
        Secret secret = Secret.of("hunter2-secret", "test");
        Report r = run(new FakeCheck(() -> {
            throw new IllegalStateException("driver said: password hunter2-secret rejected");
        }), Optional.of(secret), Duration.ofSeconds(5));
        assertThat(r.findings().get(0).summary()).doesNotContain("hunter2-secret").contains("****");
        assertThat(secret.toString()).isEqualTo("****");
    }

    @Test
    void anUndeclaredCodeIsReportedAsACheckBugNotACrash() {
        Report r = run(new FakeCheck(() -> new FakeCheck.Facts(-1)));
        assertThat(r.findings().get(0).code()).isEqualTo("PROBE_FAILED");
        assertThat(r.findings().get(0).summary()).contains("undeclared finding code NOT_DECLARED");
    }

    @Test
    void aTargetOfAnotherKindIsAUsageError() {
        FakeCheck check = new FakeCheck(() -> new FakeCheck.Facts(1));
        Parameters p = Parameters.resolve(check.id(), check.parameters(), Map.of());
        assertThatThrownBy(() -> runner.run(check, Target.parse("mysql://a@b"), p, Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(UsageException.class).hasMessageContaining("runs on fake:// targets");
    }
}
