package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Check;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-load, linux-memory and linux-fd-usage on /proc contents recorded from real hosts, for the codes the lab
 * cannot induce on a shared machine (LOAD_HIGH, LOAD_RISING, MEMORY_HIGH, SYSTEM_FD_HIGH).
 */
class LinuxHostRecordedFactsTest {

    private static <F> List<Finding> evaluate(Check<F> check, F facts, Map<String, String> params) {
        return Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(), params)).findings();
    }

    @Test
    void loadIsJudgedPerOnlineCpu() {
        // a 2-CPU build machine during a parallel build: 14.68 16.74 14.06 is 8.4 per CPU over 5 minutes
        List<Finding> f = evaluate(new LinuxLoad(), new LoadFacts("14.68 16.74 14.06 12/1090 40123", "0-1"), Map.of());
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("LOAD_HIGH");
            assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(x.evidence()).containsEntry("cpus", 2).containsEntry("load5_per_cpu", 8.37);
        });
        // the same load on 32 CPUs is nothing
        assertThat(evaluate(new LinuxLoad(), new LoadFacts("14.68 16.74 14.06 12/1090 40123", "0-15,16-31"), Map.of()))
                .isEmpty();
        assertThat(ProcFiles.cpuCount("0,2-3,8")).isEqualTo(4);
    }

    @Test
    void aSuddenRiseIsInfoAndAWarningOnlyWhenItLasts() {
        List<Finding> f = evaluate(new LinuxLoad(), new LoadFacts("5.10 2.40 1.20 6/300 999", "0-3"), Map.of());
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("LOAD_RISING");
            assertThat(x.severity()).isEqualTo(Severity.INFO);
        });
        List<Finding> warn = evaluate(new LinuxLoad(), new LoadFacts("9.00 9.10 8.90 9/300 999", "0-3"), Map.of());
        assertThat(warn).singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARNING));
    }

    private static final String MEMINFO_TIGHT = """
            MemTotal:        8039068 kB
            MemFree:          143220 kB
            MemAvailable:     352540 kB
            Buffers:           12344 kB
            Cached:           412008 kB
            SwapCached:            0 kB
            SwapTotal:             0 kB
            SwapFree:              0 kB
            """;

    @Test
    void memoryIsJudgedByMemAvailableNotMemFree() {
        MemoryFacts tight = new MemoryFacts(ProcFiles.keyValues(MEMINFO_TIGHT), 0L, null, 0, 86_400);
        assertThat(evaluate(new LinuxMemory(), tight, Map.of())).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("MEMORY_HIGH");
            assertThat(x.severity()).isEqualTo(Severity.CRITICAL); // 95.6 % used
            assertThat(x.evidence()).containsEntry("MemAvailable_kib", 352540L).containsEntry("SwapTotal_kib", 0L);
        });
        // little MemFree but plenty of reclaimable cache is healthy
        String cached = MEMINFO_TIGHT.replace("352540", "5352540");
        assertThat(evaluate(new LinuxMemory(), new MemoryFacts(ProcFiles.keyValues(cached), 0L, null, 0, 100), Map.of()))
                .isEmpty();
    }

    @Test
    void oomKillsSinceBootAreInfoAndInTheWindowAWarning() {
        var meminfo = ProcFiles.keyValues(MEMINFO_TIGHT.replace("352540", "5352540"));
        assertThat(evaluate(new LinuxMemory(), new MemoryFacts(meminfo, 3L, null, 0, 7200), Map.of()))
                .singleElement().satisfies(x -> {
                    assertThat(x.code()).isEqualTo("OOM_KILLS");
                    assertThat(x.severity()).isEqualTo(Severity.INFO);
                });
        assertThat(evaluate(new LinuxMemory(), new MemoryFacts(meminfo, 3L, 5L, 3.0, 7200), Map.of("window", "3s")))
                .singleElement().satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.WARNING);
                    assertThat(x.evidence()).containsEntry("oom_kills_in_window", 2L);
                });
        assertThat(ProcFiles.keyValues("nr_free_pages 123\noom_kill 7\n")).containsEntry("oom_kill", 7L);
    }

    @Test
    void swapInUseWarnsAndSwapInsDuringTheWindowAreActiveSwapping() {
        // a 2 GiB swap partition, 1.8 GiB used; pswpin 1200 -> 1950 during 10 s
        SwapFacts facts = new SwapFacts(2097148, 209712, 1200, 5000, 1950L, 5400L, 10.0);
        List<Finding> f = evaluate(new LinuxSwap(), facts, Map.of("window", "10s"));
        assertThat(f).extracting(Finding::code).containsExactly("SWAP_HIGH", "SWAPPING_ACTIVE");
        assertThat(f.get(1).evidence()).containsEntry("pswpin_delta", 750L).containsEntry("pswpout_delta", 400L);
        // swap in use but nothing read back: only the fill level speaks
        assertThat(evaluate(new LinuxSwap(), new SwapFacts(2097148, 209712, 1200, 5000, 1200L, 5000L, 10.0),
                Map.of("window", "10s"))).extracting(Finding::code).containsExactly("SWAP_HIGH");
        // no swap at all (this machine, most Kubernetes nodes): nothing to say
        assertThat(evaluate(new LinuxSwap(), new SwapFacts(0, 0, 0, 0, null, null, 0), Map.of())).isEmpty();
    }

    @Test
    void fileHandlesAgainstFileMaxAndProcessesAgainstTheirSoftLimit() {
        // /proc/sys/fs/file-nr: allocated, unused (always 0 since 2.6), max
        FdFacts facts = new FdFacts("95000\t0\t100000", List.of(
                new HostReader.ProcessFds(4242, "java", 1000, 1024), new HostReader.ProcessFds(77, "nginx", 600, 1024)));
        List<Finding> f = evaluate(new LinuxFdUsage(), facts, Map.of());
        assertThat(f).filteredOn(x -> x.code().equals("SYSTEM_FD_HIGH")).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(f).filteredOn(x -> x.code().equals("PROCESS_FD_HIGH")).singleElement().satisfies(x -> {
            assertThat(x.subject()).isEqualTo("4242 java");
            assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
        });
        // over SSH only the system-wide figure exists
        assertThat(evaluate(new LinuxFdUsage(), new FdFacts("1757\t0\t2466248", null), Map.of())).isEmpty();
    }
}
