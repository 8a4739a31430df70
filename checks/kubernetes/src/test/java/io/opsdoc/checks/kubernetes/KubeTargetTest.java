package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k8s:// targets: a context by name or option, a kubeconfig option, and nothing else. */
class KubeTargetTest {
    private final NodeReadiness check = new NodeReadiness();

    @TempDir
    Path dir;

    @Test
    void unknownTargetOptionsAndPortsAreUsageErrors() throws Exception {
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://ctx?namespace=x"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("'namespace' is not supported");
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://10.0.0.1:6443"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("not host:port");
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://admin@ctx"))).isInstanceOf(UsageException.class);
        check.validate(Target.parse("k8s://"));
        Path kubeconfig = Files.writeString(dir.resolve("k.yaml"), "apiVersion: v1\nkind: Config\n");
        check.validate(Target.parse("k8s://prod-eu?kubeconfig=" + kubeconfig));
        // a kubeconfig that is not there is the user's mistake, named before any connection (exit 64)
        assertThatThrownBy(() -> check.validate(Target.parse("k8s://prod-eu?kubeconfig=/nonexistent/k.yaml")))
                .isInstanceOf(UsageException.class).hasMessageContaining("cannot be read: no such file");
    }

    @Test
    void theContextComesFromTheHostOrTheOption() {
        assertThat(KubeTarget.of(Target.parse("k8s://?context=arn:aws:eks:eu-west-1:123:cluster/prod")).context())
                .isEqualTo("arn:aws:eks:eu-west-1:123:cluster/prod");
        assertThat(KubeTarget.of(Target.parse("k8s://kind-dev")).context()).isEqualTo("kind-dev");
        assertThat(KubeTarget.of(Target.parse("k8s://")).context()).isNull();
    }
}
