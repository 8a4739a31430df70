package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** k8s-workloads' rules that need no cluster. */
class WorkloadHealthTest {

    @Test
    void defaultPullPolicyFollowsTheTag() {
        assertThat(WorkloadHealth.defaultPullPolicy("nginx")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("registry:5000/nginx")).isEqualTo("Always");
        assertThat(WorkloadHealth.defaultPullPolicy("registry:5000/nginx:1.27")).isEqualTo("IfNotPresent");
        assertThat(WorkloadHealth.defaultPullPolicy("nginx@sha256:abc")).isEqualTo("IfNotPresent");
    }
}
