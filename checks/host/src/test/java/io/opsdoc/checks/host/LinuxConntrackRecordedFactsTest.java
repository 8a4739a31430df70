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
 * linux-conntrack on recorded facts: the sysctls and /proc/net/stat/nf_conntrack in the kernel's format (a header, one
 * row of hex counters per CPU) from a NAT gateway whose table filled. The lab cannot fill or shrink the shared
 * machine's table (see HostScenarios' recordedFactsOnly).
 */
class LinuxConntrackRecordedFactsTest {
    private static final LinuxConntrack CHECK = new LinuxConntrack();
    private static final String HEADER = "entries  clashres found new invalid ignore delete chainlength insert "
            + "insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n";

    private static List<Finding> evaluate(ConntrackFacts facts) {
        return Evaluation.of(CHECK, "local:", facts, Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of()))
                .findings();
    }

    private static String stat(String drop0, String drop1) {
        return HEADER
                + "0000fff0  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 " + drop0
                + " 00000010 00000000  00000000 00000000 00000000 00000000\n"
                + "0000fff0  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 " + drop1
                + " 00000000 00000000  00000000 00000000 00000000 00000000\n";
    }

    @Test
    void aFullTableThatDropsIsCritical() {
        ConntrackFacts facts = new ConntrackFacts(65530, 65536, stat("00000100", "00000020"), stat("00000180", "00000030"),
                2.0);
        List<Finding> f = evaluate(facts);
        assertThat(f).extracting(Finding::code).containsExactly("CONNTRACK_NEAR_FULL", "CONNTRACK_DROPS");
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.get(0).evidence()).containsEntry("used_percent", 100.0);
        // drop rose by 0x80 + 0x10 = 144 on the two CPUs; early_drop and insert_failed did not move
        assertThat(f.get(1).evidence()).containsEntry("drop_delta", 144L).containsEntry("early_drop_delta", 0L);
        assertThat(f.get(1).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void threeQuartersIsAWarningAndNoDropsNoFinding() {
        String s = stat("00000000", "00000000");
        List<Finding> f = evaluate(new ConntrackFacts(200000, 262144, s, s, 2.0));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("CONNTRACK_NEAR_FULL");
            assertThat(x.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(evaluate(new ConntrackFacts(-1, -1, null, null, 0))).isEmpty();
    }

    @Test
    void tcpTableAddressesAreDecoded() {
        assertThat(TcpTable.ip("0100007F")).isEqualTo("127.0.0.1");
        assertThat(TcpTable.ip("0000000000000000FFFF00000100007F")).isEqualTo("127.0.0.1");
        assertThat(TcpTable.ip("00000000000000000000000001000000")).isEqualTo("::1");
    }
}
