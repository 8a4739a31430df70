package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.lab.edge.KeepalivedLab;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `opsdoc check keepalived-vip` end to end over two keepalived peers in network namespaces, each reached over ssh://
 * through an sshd inside it: with VRRP dropped between them both hold the VIP, and the command says split brain
 * (issue 15's "done when").
 */
@Tag("lab")
class CliKeepalivedLabTest {
    private static KeepalivedLab lab;

    @BeforeAll
    static void startLab() {
        String missing = KeepalivedLab.unavailable();
        if (missing != null && !"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(false, "keepalived lab: " + missing);
        }
        lab = KeepalivedLab.start(); // its own: the rest of this JVM's tests need no namespaces left running
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void bothPeersHoldingTheVipIsSplitBrainExit2() {
        lab.blockVrrp();
        // a cold JVM on a loaded machine: class loading, the key's KDF and two key exchanges take seconds
        Cli c = Cli.run(Map.of("OPSDOC_PASSWORD", lab.passphrase()), "check", "keepalived-vip", lab.peersTarget(""),
                "--set", "vip=" + lab.vip(), "--timeout", "30s");
        assertThat(c.exit()).as(c.all()).isEqualTo(2);
        assertThat(c.out()).contains("CRITICAL keepalived-vip").contains("keepalived-vip#VIP_ON_MULTIPLE_NODES")
                .contains("split brain: VIP " + lab.vip() + " is on 2 peers");
        assertThat(c.all()).doesNotContain(lab.passphrase());
        assertThat(c.clean()).as(c.all()).isTrue();
    }
}
