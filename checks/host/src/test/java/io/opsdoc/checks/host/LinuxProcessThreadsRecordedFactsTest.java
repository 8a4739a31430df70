package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-process-threads' host-wide branch of PIDS_LIMIT_NEAR (all threads against kernel.threads-max), which the lab
 * cannot reach on a shared machine (threads-max is 192735 here), and a cgroup at its limit.
 */
class LinuxProcessThreadsRecordedFactsTest {
    private static final LinuxProcessThreads CHECK = new LinuxProcessThreads();

    private static List<Finding> evaluate(ThreadsFacts facts) {
        return Evaluation.of(CHECK, "local:", facts, Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of()))
                .findings();
    }

    @Test
    void threadsMaxIsJudgedOnAllThreads() {
        ThreadsFacts facts = new ThreadsFacts(29000, 31615,
                List.of(new ThreadsFacts.Proc(4242, "java", 900, "/system.slice/app.service", 950, -1)));
        assertThat(evaluate(facts)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("PIDS_LIMIT_NEAR");
            assertThat(f.evidence()).containsEntry("threads_max", 31615L).containsEntry("used_percent", 91.7);
        });
    }

    @Test
    void aCgroupAtItsLimitIsCritical() {
        ThreadsFacts facts = new ThreadsFacts(5000, 192735,
                List.of(new ThreadsFacts.Proc(77, "java", 4090, "/docker/0123abcd", 4096, 4096)));
        List<Finding> f = evaluate(facts);
        assertThat(f).extracting(Finding::code).containsExactly("THREADS_HIGH", "PIDS_LIMIT_NEAR");
        assertThat(f.get(1).severity()).isEqualTo(Severity.CRITICAL);
    }
}
