package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFileThatIsNotAManifestIsAProbeFailureNamingTheFile(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("notes.txt"), "key: [unclosed\n\tthis is: not yaml: at all");
        assertThatThrownBy(() -> RolloutManifests.read(garbage, ""))
                .isInstanceOfSatisfying(ProbeException.class, e -> assertThat(e.code()).isEqualTo(ProbeErrors.PROBE_FAILED))
                .hasMessageContaining("notes.txt");
    }

    @Test
    void aManifestWithoutDeploymentsHasNothingToJudge(@TempDir Path dir) throws Exception {
        Path cm = Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        assertThat(RolloutManifests.read(cm, "").deployments()).isEmpty();
    }
}
