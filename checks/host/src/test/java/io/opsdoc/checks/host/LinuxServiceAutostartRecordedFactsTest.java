package io.opsdoc.checks.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux-service-autostart with a running systemd, which this machine does not have (HostScenarios.recordedFactsOnly):
 * {@code systemctl show -p Id,LoadState,ActiveState,SubState,Result,UnitFileState -- nginx.service ssh.service
 * nosuch.service} as systemd 252 (Debian 12) prints it, the Service properties (Result) before the Unit ones.
 */
class LinuxServiceAutostartRecordedFactsTest {
    private static final String SHOW = """
            Result=exit-code
            Id=nginx.service
            LoadState=loaded
            ActiveState=failed
            SubState=failed
            UnitFileState=enabled

            Result=success
            Id=ssh.service
            LoadState=loaded
            ActiveState=active
            SubState=running
            UnitFileState=enabled

            Result=success
            Id=nosuch.service
            LoadState=not-found
            ActiveState=inactive
            SubState=dead
            UnitFileState=
            """;

    /** The unit directories as find lists them on that host: ssh and nginx enabled, no rc.local. */
    private static final List<AutostartFacts.Entry> ENTRIES = List.of(
            new AutostartFacts.Entry("/etc/systemd/system", "d", "", "755"),
            new AutostartFacts.Entry("/etc/systemd/system/multi-user.target.wants", "d", "", "755"),
            new AutostartFacts.Entry("/etc/systemd/system/multi-user.target.wants/ssh.service", "l",
                    "/lib/systemd/system/ssh.service", "777"),
            new AutostartFacts.Entry("/etc/systemd/system/multi-user.target.wants/nginx.service", "l",
                    "/lib/systemd/system/nginx.service", "777"),
            new AutostartFacts.Entry("/run/systemd/system", "d", "", "755"),
            new AutostartFacts.Entry("/lib/systemd/system/ssh.service", "f", "", "644"),
            new AutostartFacts.Entry("/lib/systemd/system/nginx.service", "f", "", "644"));

    private static List<Finding> evaluate(AutostartFacts facts, String services) {
        LinuxServiceAutostart check = new LinuxServiceAutostart();
        return Evaluation.of(check, "local:", facts, Parameters.resolve(check.id(), check.parameters(),
                Map.of("services", services))).findings();
    }

    @Test
    void failedUnitIsCriticalWithItsResult() {
        List<Finding> f = evaluate(new AutostartFacts("/", ENTRIES, Map.of(), SHOW), "nginx,ssh");
        assertThat(f).extracting(Finding::code).containsExactly("SERVICE_FAILED");
        assertThat(f.get(0).summary()).contains("nginx.service has failed", "Result exit-code",
                "journalctl -u nginx.service -b");
        assertThat(f.get(0).evidence()).containsEntry("ActiveState", "failed").containsEntry("Result", "exit-code");
    }

    @Test
    void unitSystemdDoesNotKnowIsNotEnabled() {
        List<Finding> f = evaluate(new AutostartFacts("/", ENTRIES, Map.of(), SHOW), "nosuch,ssh");
        assertThat(f).extracting(Finding::code).containsExactly("SERVICE_NOT_ENABLED");
        assertThat(f.get(0).evidence()).containsEntry("state", "not-found");
    }

    @Test
    void systemctlsUnitFileStateOverridesTheFiles() {
        String disabled = SHOW.replace("SubState=running\nUnitFileState=enabled", "SubState=running\nUnitFileState=disabled");
        List<Finding> f = evaluate(new AutostartFacts("/", ENTRIES, Map.of(), disabled), "ssh");
        assertThat(f).extracting(Finding::code).containsExactly("SERVICE_NOT_ENABLED");
        assertThat(f.get(0).evidence()).containsEntry("state", "disabled");
    }

    @Test
    void staticUnitsAndCommentOnlyRcLocalAreQuiet() {
        List<AutostartFacts.Entry> entries = List.of(
                new AutostartFacts.Entry("/lib/systemd/system/systemd-journald.service", "f", "", "644"),
                new AutostartFacts.Entry("/etc/rc.d/rc.local", "f", "", "644"));
        Map<String, String> files = Map.of(
                "/lib/systemd/system/systemd-journald.service", "[Unit]\nDescription=Journal\n[Service]\nType=notify\n",
                "/etc/rc.d/rc.local", "#!/bin/bash\n# THIS FILE IS ADDED FOR COMPATIBILITY PURPOSES\n"
                        + "touch /var/lock/subsys/local\n");
        assertThat(evaluate(new AutostartFacts("/", entries, files, null), "systemd-journald")).isEmpty();
    }

    @Test
    void findOutputIsParsedBelowTheRoot() {
        String listing = "/host/etc/rc.local\u0000f\u0000\u0000644\u0000/host/etc/systemd/system/sshd.service\u0000l\u0000"
                + "/lib/systemd/system/ssh.service\u0000777\u0000";
        assertThat(AutostartFacts.parse(listing, "/host")).containsExactly(
                new AutostartFacts.Entry("/etc/rc.local", "f", "", "644"),
                new AutostartFacts.Entry("/etc/systemd/system/sshd.service", "l", "/lib/systemd/system/ssh.service",
                        "777"));
    }
}
