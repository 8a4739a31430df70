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
 * linux-cpu on /proc/stat lines in the kernel's exact format, for what the lab cannot cause on a shared machine:
 * iowait (a 4-CPU database host during a RAID rebuild) and steal (an overcommitted VM). Ticks are USER_HZ (100/s).
 */
class LinuxCpuRecordedFactsTest {
    private static final LinuxCpu CHECK = new LinuxCpu();

    private static List<Finding> evaluate(CpuFacts facts) {
        return Evaluation.of(CHECK, "local:", facts, Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of()))
                .findings();
    }

    @Test
    void iowaitIsIdleTimeWaitingForStorageNotBusyTime() {
        // 2 s on 4 CPUs = 800 ticks: 120 user, 40 system, 440 idle, 200 iowait
        String before = """
                cpu  5000000 1000 800000 90000000 400000 0 20000 0 0 0
                procs_running 1
                procs_blocked 0""";
        String after = """
                cpu  5000120 1000 800040 90000440 400200 0 20000 0 0 0
                procs_running 1
                procs_blocked 6""";
        List<Finding> f = evaluate(new CpuFacts(before, after, null, null, 2.0));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("IOWAIT_HIGH");
            assertThat(x.severity()).isEqualTo(Severity.WARNING);
            assertThat(x.evidence()).containsEntry("iowait_percent", 25.0).containsEntry("busy_percent", 20.0);
            assertThat(x.summary()).contains("25.0%", "storage");
        });
    }

    @Test
    void stealIsTimeTheHypervisorGaveAway() {
        String before = "cpu  100 0 100 1000 0 0 0 500 0 0\ncpu0 100 0 100 1000 0 0 0 500 0 0";
        String after = "cpu  160 0 120 1060 0 0 0 560 0 0\ncpu0 160 0 120 1060 0 0 0 560 0 0";
        List<Finding> f = evaluate(new CpuFacts(before, after, null, null, 2.0));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("STEAL_HIGH");
            assertThat(x.evidence()).containsEntry("steal_percent", 30.0);
        });
    }

    @Test
    void pressureIsTheShareOfTheWindowFromTotalMicroseconds() {
        String stat = "cpu  100 0 100 1000 0 0 0 0 0 0";
        String statAfter = "cpu  150 0 110 1140 0 0 0 0 0 0";
        String psi0 = "some avg10=80.00 avg60=50.00 avg300=10.00 total=1000000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0";
        String psi1 = "some avg10=80.00 avg60=50.00 avg300=10.00 total=2500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0";
        List<Finding> f = evaluate(new CpuFacts(stat, statAfter, psi0, psi1, 2.0));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("CPU_SATURATED");
            assertThat(x.evidence()).containsEntry("pressure_some_percent", 75.0);
        });
    }
}
