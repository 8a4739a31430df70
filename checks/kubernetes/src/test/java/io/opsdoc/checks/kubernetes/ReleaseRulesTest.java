package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two parsing rules k8s-rollout-safety and k8s-image-policy decide on, at the edges a cluster can hold. */
class ReleaseRulesTest {

    @Test
    void percentagesRoundAsTheDeploymentControllerDoes() {
        assertThat(RolloutSafety.resolve("25%", 1, false)).isZero();
        assertThat(RolloutSafety.resolve("25%", 1, true)).isEqualTo(1);
        assertThat(RolloutSafety.resolve("100%", 4, false)).isEqualTo(4);
        assertThat(RolloutSafety.resolve("99%", 4, false)).isEqualTo(3);
        assertThat(RolloutSafety.resolve("2", 4, false)).isEqualTo(2);
        assertThat(RolloutSafety.resolve("garbage", 4, false)).isEqualTo(-1);
    }

    @Test
    void imageReferencesSplitAtTheTagNotTheRegistryPort() {
        assertThat(ImagePolicy.Reference.parse("localhost:5000/app").tag()).isNull();
        assertThat(ImagePolicy.Reference.parse("localhost:5000/app").latest()).isTrue();
        assertThat(ImagePolicy.Reference.parse("localhost:5000/app:1.2").tag()).isEqualTo("1.2");
        assertThat(ImagePolicy.Reference.parse("busybox").defaultPolicy()).isEqualTo("Always");
        assertThat(ImagePolicy.Reference.parse("postgres:16.4").defaultPolicy()).isEqualTo("IfNotPresent");
        var pinned = ImagePolicy.Reference.parse("registry.example.com/app:latest@sha256:abc");
        assertThat(pinned.digest()).isEqualTo("sha256:abc");
        assertThat(pinned.latest()).isFalse();
    }
}
