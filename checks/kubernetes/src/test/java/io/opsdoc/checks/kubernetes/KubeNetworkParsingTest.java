package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.checks.kubernetes.KubeProxyFacts.Healthz;
import java.time.Duration;
import java.time.Instant;
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
}
