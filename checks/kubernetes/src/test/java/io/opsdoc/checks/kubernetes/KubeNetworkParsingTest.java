package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.checks.kubernetes.KubeProxyFacts.Healthz;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small parsers behind k8s-kube-proxy, k8s-cni and the leader Leases, on the exact text the components write. */
class KubeNetworkParsingTest {

    @Test
    void kubeProxyHealthzTimesAreGoTimeStrings() {
        // kube-proxy's proxier health server: fmt %q of two time.Time values, monotonic reading included
        String body = "{\"lastUpdated\": \"2026-12-05 00:31:02.123456789 +0000 UTC m=+3600.000000001\",\"currentTime\": "
                + "\"2026-12-05 00:34:02.623456789 +0000 UTC m=+3780.500000001\", \"nodeEligible\": true}";
        Healthz h = new Healthz("worker-1", "10.0.0.11", 503, KubeProxyCollector.field(body, "lastUpdated"),
                KubeProxyCollector.field(body, "currentTime"), Boolean.valueOf(KubeProxyCollector.field(body, "nodeEligible")), null);
        assertThat(h.nodeEligible()).isTrue();
        assertThat(KubeProxyHealth.goTime(h.lastUpdated())).isEqualTo(Instant.parse("2026-12-05T00:31:02.123456789Z"));
        assertThat(KubeProxyHealth.behind(h)).isEqualTo(Duration.ofMillis(180_500));
        assertThat(KubeProxyHealth.goTime("2026-12-05 08:31:02 +0800 CST")).isEqualTo(Instant.parse("2026-12-05T00:31:02Z"));
        assertThat(KubeProxyHealth.goTime("garbage")).isNull();
    }

    @Test
    void flannelBackendTypeComesFromNetConfJson() {
        assertThat(CniCollector.backendType("{\n  \"Network\": \"10.244.0.0/16\",\n  \"Backend\": {\n    \"Type\": \"udp\"\n  }\n}"))
                .isEqualTo("udp");
        assertThat(CniCollector.backendType("{\"Network\": \"10.244.0.0/16\"}")).isEmpty();
        assertThat(CniCollector.backendType("not json")).isEqualTo("?");
        assertThat(CniCollector.backendType(null)).isNull();
    }

    @Test
    void leaseHolderNamesItsNode() {
        assertThat(LeaderLeases.node("cp-1_5c0f4a5e-8a1b-4c43-9d1e-2b7e2f0c9a11")).isEqualTo("cp-1");
        assertThat(LeaderLeases.node("ip-10-0-1-7.ec2.internal_0b9c")).isEqualTo("ip-10-0-1-7.ec2.internal");
        assertThat(LeaderLeases.node("")).isNull();
    }

    @Test
    void serviceRulesMatchKubeServicesJumpsByDestinationProtocolAndPort() {
        // iptables-save -c of a kube-proxy 1.30 node (nft back end): counters first, KUBE-SVL- for a Local policy
        String save = "*nat\n:KUBE-SERVICES - [0:0]\n"
                + "[12:720] -A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment \"kube-system/kube-dns:dns "
                + "cluster IP\" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n"
                + "[0:0] -A KUBE-SERVICES -d 10.96.7.7/32 -p tcp -m comment --comment \"shop/local:http cluster IP\" "
                + "-m tcp --dport 80 -j KUBE-SVL-ABCDEFGHIJKLMNOP\n"
                + "[0:0] -A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the "
                + "last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\nCOMMIT\n"
                + "*filter\n:KUBE-SERVICES - [0:0]\n[0:0] -A KUBE-SERVICES -d 10.96.9.9/32 -p tcp -m comment --comment "
                + "\"shop/gone:http has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n"
                + "COMMIT\n";
        List<String> rules = io.opsdoc.checks.host.HostAccess.chainRules(save, "nat", "KUBE-SERVICES");
        var dns = new KubeProxyFacts.ServicePort("kube-system/kube-dns", "dns", "10.96.0.10", 53, "UDP", true);
        var dnsTcp = new KubeProxyFacts.ServicePort("kube-system/kube-dns", "dns-tcp", "10.96.0.10", 53, "TCP", true);
        var local = new KubeProxyFacts.ServicePort("shop/local", "http", "10.96.7.7", 80, "TCP", true);
        var gone = new KubeProxyFacts.ServicePort("shop/gone", "http", "10.96.9.9", 80, "TCP", false);
        assertThat(ServiceRules.missing(List.of(dns, dnsTcp, local, gone), rules)).containsExactly(dnsTcp);
        var twice = new KubeProxyFacts.NodeRules("local:", List.of(dns, dnsTcp), List.of(rules, List.of()), 0, null);
        assertThat(ServiceRules.missingInAll(twice)).containsExactly(dnsTcp);
        assertThat(dnsTcp.describe()).isEqualTo("kube-system/kube-dns:dns-tcp (10.96.0.10:53/tcp)");
    }
}
