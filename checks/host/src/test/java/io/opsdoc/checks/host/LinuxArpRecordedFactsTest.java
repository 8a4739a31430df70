package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-arp's table limit on /proc/net/arp in the kernel's exact format: the neighbour table is global, so filling
 * it toward gc_thresh3 cannot be done on the shared lab machine (HostScenarios.recordedFactsOnly).
 */
class LinuxArpRecordedFactsTest {
    private static final String HEADER = "IP address       HW type     Flags       HW address            Mask     Device\n";

    private static List<Finding> evaluate(ArpFacts facts, Map<String, String> params) {
        LinuxArp check = new LinuxArp();
        return Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(), params))
                .findings();
    }

    /** A node on a flat /22 with 100 complete neighbours, gc_thresh3 lowered to 112 by a tuning script. */
    private static String table(int complete) {
        StringBuilder s = new StringBuilder(HEADER);
        for (int i = 0; i < complete; i++) {
            s.append(String.format("10.20.%d.%d        0x1         0x2         02:42:0a:14:%02x:%02x     *        eth0%n",
                    i / 250, i % 250 + 1, i / 250, i % 250));
        }
        return s.toString();
    }

    @Test
    void tableNearGcThresh3Warns() {
        List<Finding> f = evaluate(new ArpFacts(table(100), 56, 112), Map.of());
        assertThat(f).extracting(Finding::code).containsExactly("ARP_TABLE_NEAR_FULL");
        assertThat(f.get(0).summary()).contains("100 entries", "gc_thresh3 112", "neighbour table overflow");
        assertThat(f.get(0).evidence()).containsEntry("entries", 100).containsEntry("gc_thresh3", 112L);
    }

    @Test
    void roomyTableAndNamespaceWithoutThresholdsAreQuiet() {
        assertThat(evaluate(new ArpFacts(table(100), 512, 1024), Map.of())).isEmpty();
        // a network namespace has no gc_thresh files: the limit is not judged there
        assertThat(evaluate(new ArpFacts(table(100), -1, -1), Map.of())).isEmpty();
    }

    @Test
    void failedAndIncompleteEntriesAreUnansweredPermanentOnesAreNot() {
        String arp = HEADER
                + "192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0\n"
                + "10.214.7.3       0x1         0x0         00:00:00:00:00:00     *        odh12345\n"
                + "10.0.0.9         0x1         0x6         02:00:00:00:00:09     *        eth0\n";
        List<Finding> f = evaluate(new ArpFacts(arp, 512, 1024), Map.of());
        assertThat(f).extracting(Finding::code).containsExactly("ARP_INCOMPLETE");
        assertThat(f.get(0).summary()).contains("10.214.7.3 on odh12345").doesNotContain("10.0.0.9");
        assertThat(evaluate(new ArpFacts(arp, 512, 1024), Map.of("interfaces", "eth0"))).isEmpty();
    }
}
