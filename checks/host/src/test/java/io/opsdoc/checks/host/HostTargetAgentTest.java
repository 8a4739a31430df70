package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which ssh-agent an ssh:// target uses (the login itself is tested against a real agent in CliHostLabTest). */
class HostTargetAgentTest {
    @Test
    void theAgentOfSshAuthSockByDefaultANamedOneOnRequestNoneWhenAsked() {
        assertThat(HostTarget.agent(null, null)).isEmpty();
        assertThat(HostTarget.agent(null, " ")).isEmpty();
        assertThat(HostTarget.agent(null, "/run/agent.sock")).contains(new HostTarget.Agent(Path.of("/run/agent.sock"), false));
        assertThat(HostTarget.agent("/tmp/a.sock", "/run/agent.sock")).contains(new HostTarget.Agent(Path.of("/tmp/a.sock"), true));
        assertThat(HostTarget.agent("no", "/run/agent.sock")).isEmpty();
    }

    @Test
    void aRelativeOrEmptySocketIsAUsageError() {
        assertThatThrownBy(() -> HostTarget.agent("agent.sock", null)).isInstanceOf(UsageException.class)
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> HostTarget.agent("", null)).isInstanceOf(UsageException.class);
    }
}
