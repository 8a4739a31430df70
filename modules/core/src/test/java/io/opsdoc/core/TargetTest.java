package io.opsdoc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parsesUserHostPort() {
        Target t = Target.parse("mysql://monitor@db1:3306");
        assertThat(t.scheme()).isEqualTo("mysql");
        assertThat(t.user()).contains("monitor");
        assertThat(t.host()).isEqualTo(new Target.HostPort("db1", 3306));
        assertThat(t.passwordInUri()).isFalse();
        assertThat(t.display()).isEqualTo("mysql://monitor@db1:3306");
    }

    @Test
    void portIsOptional() {
        assertThat(Target.parse("mysql://m@db1").host().portOr(3306)).isEqualTo(3306);
    }

    @Test
    void passwordInUriIsKeptButNeverDisplayed() {
        Target t = Target.parse("mysql://monitor:s3cr%40t@db1:3306/?sslMode=REQUIRED");
        assertThat(t.passwordInUri()).isTrue();
        assertThat(t.uriPassword().orElseThrow().reveal()).isEqualTo("s3cr@t");
        assertThat(t.display()).doesNotContain("s3cr").isEqualTo("mysql://monitor@db1:3306/?sslMode=REQUIRED");
        assertThat(t.toString()).doesNotContain("s3cr");
    }

    @Test
    void parsesHostListsAndIpv6() {
        Target k = Target.parse("kafka://b1:9092,b2:9093");
        assertThat(k.hosts()).containsExactly(new Target.HostPort("b1", 9092), new Target.HostPort("b2", 9093));
        Target v6 = Target.parse("mysql://m@[::1]:3307");
        assertThat(v6.host().host()).isEqualTo("::1");
        assertThat(v6.display()).isEqualTo("mysql://m@[::1]:3307");
    }

    @Test
    void opaqueAndContextForms() {
        assertThat(Target.parse("local:").display()).isEqualTo("local:");
        assertThat(Target.parse("k8s://").display()).isEqualTo("k8s://");
        assertThat(Target.parse("k8s://?kubeconfig=/etc/k").display()).isEqualTo("k8s://?kubeconfig=/etc/k");
        assertThat(Target.parse("k8s://prod").host().host()).isEqualTo("prod");
    }

    @Test
    void malformedTargetsAreUsageErrorsThatNeverEchoAPassword() {
        assertThatThrownBy(() -> Target.parse("db1:3306")).isInstanceOf(UsageException.class).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> Target.parse("mysql://m@db1:99999")).isInstanceOf(UsageException.class)
                .hasMessageContaining("port '99999'");
        assertThatThrownBy(() -> Target.parse("mysql://m:hunter22@db1:x")).isInstanceOf(UsageException.class)
                .hasMessageNotContaining("hunter22");
        assertThatThrownBy(() -> Target.parse("")).isInstanceOf(UsageException.class);
    }

    @Test
    void httpUrlsKeepTheirPathAndQueryAsWrittenAndDropTheFragment() {
        Target t = Target.parse("https://shop.example:8443/api/v1/health?deep=1&name=a%20b&x#section");
        assertThat(t.scheme()).isEqualTo("https");
        assertThat(t.host().host()).isEqualTo("shop.example");
        assertThat(t.host().port()).isEqualTo(8443);
        assertThat(t.path()).isEqualTo("/api/v1/health");
        assertThat(t.rawQuery()).isEqualTo("deep=1&name=a%20b&x");
        assertThat(t.query()).containsEntry("name", "a b").containsEntry("x", "");
        Target bare = Target.parse("http://127.0.0.1:8080");
        assertThat(bare.path()).isEmpty();
        assertThat(bare.rawQuery()).isEmpty();
        assertThat(Target.parse("http://h/a@b?mail=x@y").host().host()).isEqualTo("h");
        assertThat(Target.parse("http://h/a@b?mail=x@y").user()).isEmpty();
        assertThat(Target.parse("http://[::1]:8080/p").host().host()).isEqualTo("::1");
        // '#' inside the authority stays part of the password
        assertThat(Target.parse("mysql://m:pa#ss@db1:3306").uriPassword()).isPresent();
        assertThat(Target.parse("mysql://m:pa#ss@db1:3306").host().host()).isEqualTo("db1");
    }
}
