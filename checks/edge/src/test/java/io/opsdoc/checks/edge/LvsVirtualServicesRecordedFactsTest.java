package io.opsdoc.checks.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lvs-virtual-services on /proc/net/ip_vs in the kernel's exact format (net/netfilter/ipvs/ip_vs_ctl.c,
 * ip_vs_info_seq_show: {@code %08X:%04X}, {@code %-7s %-6d %-10d %-10d}): the lab's kernel has no IPVS, so these facts
 * stand in for a director. The same director as {@code ipvsadm -Ln --stats} would print it (which needs
 * CAP_NET_ADMIN, so the check does not run it):
 *
 * <pre>
 * IP Virtual Server version 1.2.1 (size=4096)
 * Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
 *   -> RemoteAddress:Port
 * TCP  10.0.0.100:80                     1532    20311        0  1712044        0
 *   -> 10.0.0.11:80                       771    10190        0   859108        0
 *   -> 10.0.0.12:80                       761    10121        0   852936        0
 * TCP  10.0.0.100:443                       0        0        0        0        0
 * UDP  10.0.0.100:53                       12       12        0      720        0
 *   -> 10.0.0.21:53                         6        6        0      360        0
 *   -> 10.0.0.22:53                         6        6        0      360        0
 * </pre>
 */
class LvsVirtualServicesRecordedFactsTest {
    private static final String IP_VS = """
            IP Virtual Server version 1.2.1 (size=4096)
            Prot LocalAddress:Port Scheduler Flags
              -> RemoteAddress:Port Forward Weight ActiveConn InActConn
            TCP  0A000064:0050 wlc persistent 360 FFFFFFFF
              -> 0A00000B:0050      Route   1      12         301       \s
              -> 0A00000C:0050      Route   1      9          288       \s
            TCP  0A000064:01BB rr\s
            UDP  0A000064:0035 rr\s
              -> 0A000015:0035      Masq    0      0          6         \s
              -> 0A000016:0035      Masq    0      0          6         \s
            FWM  00000001 sh\s
              -> [2001:0db8:0000:0000:0000:0000:0000:0011]:0050      Tunnel  2      3          0         \s
            """;

    private final LvsVirtualServices check = new LvsVirtualServices();

    private Evaluation evaluate(String ipVs) {
        return Evaluation.of(check, "ssh://opsdoc@lvs1", new LvsFacts("opsdoc@lvs1", ipVs),
                Parameters.resolve(check.id(), check.parameters(), Map.of()));
    }

    @Test
    void parsesServicesRealServersAndForwardingMethods() {
        List<IpvsTable.Service> s = IpvsTable.parse(IP_VS);
        assertThat(s).extracting(IpvsTable.Service::name).containsExactly("TCP 10.0.0.100:80 wlc",
                "TCP 10.0.0.100:443 rr", "UDP 10.0.0.100:53 rr", "FWM fwmark 1 sh");
        assertThat(s.get(0).flags()).isEqualTo("persistent 360 FFFFFFFF");
        assertThat(s.get(0).servers()).extracting(IpvsTable.RealServer::address).containsExactly("10.0.0.11:80",
                "10.0.0.12:80");
        assertThat(s.get(0).servers().get(0).inactive()).isEqualTo(301);
        assertThat(s.get(3).servers().get(0).address()).isEqualTo("[2001:db8:0:0:0:0:0:11]:80");
        assertThat(s.get(3).servers().get(0).forward()).isEqualTo("Tunnel");
    }

    @Test
    void aServiceWithoutRealServersAndOneWithAllWeightsZeroAreCritical() {
        Evaluation e = evaluate(IP_VS);
        assertThat(e.findings()).extracting(Finding::code).containsExactly("VS_NO_REAL_SERVERS", "ALL_WEIGHTS_ZERO");
        assertThat(e.findings()).allMatch(f -> f.severity() == Severity.CRITICAL);
        assertThat(e.findings().get(0).summary()).contains("TCP 10.0.0.100:443 rr", "no real server");
        assertThat(e.findings().get(1).summary()).contains("UDP 10.0.0.100:53", "10.0.0.21:53 Masq weight 0");
        assertThat(e.metrics()).extracting(Metric::name).contains("lvs_virtual_services", "lvs_real_servers",
                "lvs_active_connections");
    }

    @Test
    void aDirectorWhoseServicesAllHaveWeightedRealServersIsHealthy() {
        String healthy = IP_VS.lines().limit(6).reduce("", (a, b) -> a + b + "\n");
        assertThat(evaluate(healthy).findings()).isEmpty();
        // IPVS loaded, no service configured yet: nothing to judge
        assertThat(evaluate(IP_VS.lines().limit(3).reduce("", (a, b) -> a + b + "\n")).findings()).isEmpty();
    }
}
