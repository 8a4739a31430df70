package io.opsdoc.checks.redis;

import org.junit.jupiter.api.Tag;
import static io.opsdoc.checks.redis.LabChecks.codes;
import static io.opsdoc.checks.redis.LabChecks.finding;
import static io.opsdoc.checks.redis.LabChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Report;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import io.opsdoc.lab.redis.RedisLab;
import io.opsdoc.lab.redis.RedisVersion;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * rediss:// against a real Redis 7 that listens with TLS (Debian's build has TLS; embedded 6.2 has not): the
 * checks verify the certificate (chain and name) and say why when they cannot.
 */
@ResourceLock(providers = LabLock.class)
@Tag("lab")
class Redis7TlsLabTest {
    private RedisLab lab;

    @BeforeEach
    void lab() {
        lab = LabChecks.lab(RedisVersion.V7);
        lab.tlsPort();
    }

    private Report run(RedisCheck check, String uri) {
        return LabChecks.run(check, uri, lab.monitorPassword(), check instanceof RedisTimeouts ? Map.of("window", "1s")
                : Map.of(), Duration.ofSeconds(10));
    }

    @Test
    void checksRunOverTlsWithTheServersCa() {
        assertThat(run(new RedisTimeouts(), lab.tlsUri()).findings()).isEmpty();
        // the TLS server is a cache without persistence, and the check reads that over TLS
        assertThat(codes(run(new RedisPersistence(), lab.tlsUri()))).containsExactly("NO_PERSISTENCE");
        assertThat(run(new RedisMemory(), lab.tlsUri()).findings()).isEmpty();
        // the anonymous PING of redis-security goes over TLS too, and is refused (the default user has a password)
        assertThat(run(new RedisSecurity(), lab.tlsUri()).findings()).isEmpty();
    }

    @Test
    void anUntrustedCertificateIsNamedAsSuch() {
        Report r = run(new RedisTimeouts(), "rediss://monitor@127.0.0.1:" + lab.tlsPort());
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
        assertThat(finding(r, "PROBE_FAILED").summary()).contains("TLS", "not signed by a trusted CA", "cacert=");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        // the certificate names 127.0.0.1 and localhost; reach the same server under another loopback address
        Report r = run(new RedisTimeouts(), "rediss://monitor@127.0.0.2:" + lab.tlsPort() + "?cacert=" + lab.tlsCaFile());
        assertThat(r.status()).isEqualTo(Severity.UNKNOWN);
        assertThat(codes(r)).hasSize(1);
        assertThat(r.findings().get(0).summary()).contains("TLS");
    }

    @Test
    void tlsAgainstACleartextPortAndCleartextAgainstTheTlsPort() {
        // a cleartext Redis reads the ClientHello as the start of an inline command and waits for the rest: the
        // check ends at its deadline, as UNKNOWN
        Report tlsOnPlain = LabChecks.run(new RedisTimeouts(), "rediss://monitor@127.0.0.1:" + lab.tlsServerPlainPort()
                + "?cacert=" + lab.tlsCaFile(), lab.monitorPassword(), Map.of("window", "1s"), Duration.ofSeconds(3));
        assertThat(tlsOnPlain.status()).isEqualTo(Severity.UNKNOWN);
        assertThat(codes(tlsOnPlain)).containsExactly("TIMEOUT");
        Report plainOnTls = run(new RedisTimeouts(), "redis://monitor@127.0.0.1:" + lab.tlsPort());
        assertThat(plainOnTls.status()).isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void badTlsOptionsAreUsageErrors() {
        assertThatThrownBy(() -> run(new RedisTimeouts(), "rediss://127.0.0.1:" + lab.tlsPort() + "?cacert=/nonexistent.pem"))
                .isInstanceOf(UsageException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> run(new RedisTimeouts(), "rediss://127.0.0.1:" + lab.tlsPort() + "?verify=no"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option 'verify'");
        assertThatThrownBy(() -> run(new RedisTimeouts(), "redis://127.0.0.1:" + lab.tlsPort() + "?cacert=/x.pem"))
                .isInstanceOf(UsageException.class).hasMessageContaining("rediss://");
    }
}
