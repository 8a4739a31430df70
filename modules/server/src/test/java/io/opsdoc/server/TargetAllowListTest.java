package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --allow-targets: names match names, addresses match addresses and CIDRs, ports when given; nothing by default. */
class TargetAllowListTest {
    private static boolean allows(TargetAllowList l, String uri) {
        return l.refusal(Target.parse(uri)) == null;
    }

    @Test
    void nothingIsAllowedByDefault() {
        TargetAllowList none = TargetAllowList.none();
        assertThat(allows(none, "http://127.0.0.1:22/")).isFalse();
        assertThat(none.refusal(Target.parse("http://127.0.0.1:22/"))).contains("--allow-targets").contains("config");
        assertThat(allows(TargetAllowList.parse(List.of()), "redis://10.0.0.1")).isFalse();
    }

    @Test
    void cidrsAndPorts() {
        TargetAllowList l = TargetAllowList.parse(List.of("10.20.0.0/16:3306, 192.168.1.5", "127.0.0.1:8000-8099"));
        assertThat(allows(l, "mysql://m@10.20.3.4:3306")).isTrue();
        assertThat(allows(l, "mysql://m@10.20.3.4")).as("the scheme's default port").isTrue();
        assertThat(allows(l, "redis://10.20.3.4:6379")).as("another port").isFalse();
        assertThat(allows(l, "redis://10.21.0.1:3306")).as("outside the /16").isFalse();
        assertThat(allows(l, "http://192.168.1.5:22/")).as("an address without a port allows every port").isTrue();
        assertThat(allows(l, "http://127.0.0.1:8080/")).isTrue();
        assertThat(allows(l, "http://127.0.0.1:22/")).isFalse();
        assertThat(allows(l, "http://127.0.0.1/")).as("port 80 is outside the range").isFalse();
        assertThat(allows(l, "kafka://10.20.0.1:3306,10.99.0.1:3306")).as("every host must match").isFalse();
        assertThat(TargetAllowList.parse(List.of("10.20.0.0/16:3306")).refusal(Target.parse("kafka://10.20.0.1:3306,10.99.0.1:3306")))
                .contains("10.99.0.1:3306 is not in --allow-targets");
    }

    @Test
    void namesMatchNamesNeverAddresses() {
        TargetAllowList l = TargetAllowList.parse(List.of("db1.example.com", "*.cache.example.com:6379", "10.0.0.0/8"));
        assertThat(allows(l, "mysql://m@DB1.example.com.:3306")).isTrue();
        assertThat(allows(l, "redis://r1.cache.example.com")).isTrue();
        assertThat(allows(l, "redis://cache.example.com")).as("*.x matches below x only").isFalse();
        assertThat(allows(l, "redis://evilcache.example.com")).isFalse();
        assertThat(allows(l, "http://intranet.corp/")).as("a name is never resolved to test a CIDR (rebinding)").isFalse();
        assertThat(allows(l, "http://127.1/")).as("an odd IPv4 spelling is a name, not an address").isFalse();
        assertThat(allows(l, "http://0177.0.0.1/")).isFalse();
    }

    @Test
    void ipv6() {
        TargetAllowList l = TargetAllowList.parse(List.of("[fd00::/8]:6379", "::1"));
        assertThat(allows(l, "redis://[fd12::5]:6379")).isTrue();
        assertThat(allows(l, "redis://[fe80::1]:6379")).isFalse();
        assertThat(allows(l, "http://[::1]:9000/")).isTrue();
        assertThat(allows(TargetAllowList.parse(List.of("127.0.0.0/8")), "http://[::ffff:127.0.0.1]:80/"))
                .as("an IPv4-mapped address is the IPv4 address").isTrue();
    }

    @Test
    void hostlessTargetsNeedTheConfig() {
        assertThat(allows(TargetAllowList.parse(List.of("0.0.0.0/0")), "k8s://prod")).isFalse();
    }

    @Test
    void badEntriesAreUsageErrorsNamingTheEntry() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "host:0", "host:99999", "host:20-10", "ho st", "[::1", "1.2.3.4/8/8")) {
            assertThatThrownBy(() -> TargetAllowList.parse(List.of(bad))).isInstanceOf(UsageException.class).hasMessageContaining(bad);
        }
    }
}
