package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-net-traffic on /proc/net/dev in the kernel's exact layout, for receive errors (a NIC on a bad cable: CRC
 * errors counted as rx_errs and rx_frame), which veth and loopback in the lab never produce.
 */
class LinuxNetTrafficRecordedFactsTest {
    private static final LinuxNetTraffic CHECK = new LinuxNetTraffic();
    private static final String HEADER = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            """;

    private static List<Finding> evaluate(String before, String after) {
        return Evaluation.of(CHECK, "local:", new NetTrafficFacts(HEADER + before, HEADER + after, 2.0),
                Parameters.resolve(CHECK.id(), CHECK.parameters(), Map.of())).findings();
    }

    @Test
    void receiveErrorsAreJudgedAsAShareOfPackets() {
        String before = "    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n"
                + "  eth0: 98765432 120000 5000 0 0 5000 0 0 12345678 90000 0 0 0 0 0 0\n";
        String after = "    lo: 2000 20 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n"
                + "  eth0: 99765432 121000 5040 0 0 5040 0 0 12445678 90800 0 0 0 0 0 0\n";
        List<Finding> f = evaluate(before, after);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("NIC_ERRORS");
            assertThat(x.evidence()).containsEntry("interface", "eth0").containsEntry("rx_errs", 40L)
                    .containsEntry("share_percent", 4.0);
            assertThat(x.summary()).contains("eth0", "receive errors", "cable");
        });
    }

    @Test
    void aFewErrorsOnABusyLinkAreNoise() {
        String before = "  eth0: 0 100000 0 0 0 0 0 0 0 100000 0 0 0 0 0 0\n";
        String after = "  eth0: 0 200000 3 2 0 0 0 0 0 200000 0 0 0 0 0 0\n";
        assertThat(evaluate(before, after)).isEmpty();
    }
}
