package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Report;
import io.opsdoc.core.Runner;
import io.opsdoc.core.Secret;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.lab.host.HostLab;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What is not scenario data: the SSH session is shared by the checks of a run and kept by a pool, and what a run
 * costs on each transport (printed, for the record; asserted only loosely, the machine is shared).
 */
@Tag("lab")
class HostSshLabTest {
    private static HostLab lab;

    @BeforeAll
    static void start() {
        String missing = HostLab.unavailable(HostLab.SSH);
        if (missing != null && !"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(false, "host lab: " + missing);
        }
        lab = HostLab.shared(HostLab.SSH);
    }

    private static Optional<Secret> passphrase() {
        return Optional.of(Secret.of(lab.passphrase(), "the lab"));
    }

    @Test
    void oneSessionServesEveryCheckOfARunAndIsKeptBetweenRuns() throws Exception {
        Target target = Target.parse(lab.target());
        try (ClientPool pool = ClientPool.keeping(1, Duration.ofMinutes(1))) {
            Runner runner = new Runner(pool);
            LinuxDisk disk = new LinuxDisk();
            LinuxZombies zombies = new LinuxZombies();
            Parameters dp = Parameters.resolve(disk.id(), disk.parameters(), Map.of("mounts", lab.fileSystem()));
            Parameters zp = Parameters.resolve(zombies.id(), zombies.parameters(), Map.of());
            long t0 = System.nanoTime();
            Report first = runner.run(disk, target, dp, passphrase(), Duration.ofSeconds(30)).report();
            long t1 = System.nanoTime();
            assertThat(first.status()).as(first.findings().toString()).isEqualTo(Severity.OK);
            assertThat(pool.idle()).isEqualTo(1);
            Report second = runner.run(zombies, target, zp, passphrase(), Duration.ofSeconds(30)).report();
            long t2 = System.nanoTime();
            assertThat(second.status()).isNotEqualTo(Severity.UNKNOWN);
            // the second check leased the kept session: had it opened another, two would now be idle at most one
            // being kept, and the lease below would not be a reuse
            assertThat(pool.idle()).isEqualTo(1);
            CheckContext c = new CheckContext(target, passphrase(), zp, Instant.now().plusSeconds(10), pool);
            try (HostSession s = HostSession.open(c)) {
                assertThat(s.reader().read("/proc/loadavg")).isNotBlank();
            }
            System.out.printf("ssh: first run (login + df) %d ms, second run on the kept session %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
    }

    @Test
    void latencyOfOneCheckLocalAndOverSsh() {
        LinuxDisk disk = new LinuxDisk();
        Parameters dp = Parameters.resolve(disk.id(), disk.parameters(), Map.of("mounts", lab.fileSystem()));
        Runner runner = new Runner();
        long best = Long.MAX_VALUE;
        long bestSsh = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertThat(runner.run(disk, Target.parse("local:"), dp, Optional.empty(), Duration.ofSeconds(30)).report()
                    .status()).isEqualTo(Severity.OK);
            best = Math.min(best, System.nanoTime() - t0);
            t0 = System.nanoTime();
            assertThat(runner.run(disk, Target.parse(lab.target()), dp, passphrase(), Duration.ofSeconds(30)).report()
                    .status()).isEqualTo(Severity.OK);
            bestSsh = Math.min(bestSsh, System.nanoTime() - t0);
        }
        System.out.printf("linux-disk, best of 3: local: %d ms, ssh:// with a new session each time %d ms%n",
                best / 1_000_000, bestSsh / 1_000_000);
    }
}
