package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import org.junit.jupiter.api.Test;

/**
 * The one BIRD command host transports run for k8s-calico-bgp, and what birdc 2.0.12's exact failure lines mean
 * (captured from the Debian client against a missing, a refused and a root-only socket).
 */
class BirdClientTest {
    @Test
    void alwaysRestrictedAndOnlyShowProtocols() {
        assertThat(HostCommands.birdArgv("birdc", "/var/run/calico/bird.ctl"))
                .containsExactly("birdc", "-r", "-s", "/var/run/calico/bird.ctl", "show", "protocols");
        assertThat(HostCommands.birdLine("/usr/sbin/birdcl", "/run/bird/bird.ctl")).isEqualTo(
                "LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin '/usr/sbin/birdcl' '-r' '-s' '/run/bird/bird.ctl' 'show' "
                        + "'protocols'");
    }

    @Test
    void rejectsAnyOtherProgramOrAnOddSocketPath() {
        assertThatThrownBy(() -> HostCommands.birdArgv("sh", "/run/bird/bird.ctl"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCommands.birdArgv("/tmp/../bin/birdc", "/run/bird/bird.ctl"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCommands.birdArgv("birdc", "bird.ctl")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCommands.birdArgv("birdc", "/run/bird/../x.ctl"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String code(String err, Integer status) {
        try {
            HostCommands.birdResult("birdc", status, "", err);
            return "OK";
        } catch (ProbeException e) {
            return e.code().code();
        }
    }

    @Test
    void mapsBirdcsOwnFailureLines() {
        assertThat(code("Unable to connect to server control socket (/run/x.ctl): No such file or directory\n", 1))
                .isEqualTo(ProbeErrors.UNREACHABLE.code());
        assertThat(code("Unable to connect to server control socket (/run/x.ctl): Connection refused\n", 1))
                .isEqualTo(ProbeErrors.UNREACHABLE.code());
        assertThat(code("Unable to connect to server control socket (/run/x.ctl): Permission denied\n", 1))
                .isEqualTo(ProbeErrors.PERMISSION_DENIED.code());
        assertThat(code("sh: 1: birdc: not found\n", 127)).isEqualTo(ProbeErrors.PROBE_FAILED.code());
        assertThat(code("", 0)).isEqualTo("OK");
    }
}
