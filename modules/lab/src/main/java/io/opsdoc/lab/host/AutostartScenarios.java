package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.util.List;

/**
 * linux-service-autostart on a host's root file system laid out in the lab ({@link AutostartFaults}), over local:
 * and ssh:// like every host check. There is no systemd here, so what is judged is what the files say.
 */
final class AutostartScenarios {
    private static final String CHECK = "linux-service-autostart";

    private AutostartScenarios() {
    }

    static List<Scenario<HostLab>> scenarios() {
        return List.of(
                autostart("autostart-healthy", "ssh and cron enabled by systemctl enable, legacyapp with S01 links in "
                        + "runlevels 2-5, a stock rc.local").breaks(AutostartFaults::layout).healthy()
                        .metrics("services_enabled").build(),
                autostart("autostart-disabled", "systemctl disable cron: the unit file stays, its wants link is gone")
                        .breaks(AutostartFaults::disableCron)
                        .expect(code("SERVICE_NOT_ENABLED").severity(WARNING).evidence("unit", "cron.service")
                                .evidence("state", "disabled").says("systemctl enable cron.service"))
                        .absent("RC_LOCAL_NOT_EXECUTABLE").build(),
                autostart("autostart-masked", "systemctl mask ssh: /etc/systemd/system/ssh.service links to /dev/null")
                        .breaks(AutostartFaults::maskSsh)
                        .expect(code("SERVICE_NOT_ENABLED").severity(WARNING).evidence("unit", "ssh.service")
                                .evidence("state", "masked").says("systemctl unmask ssh.service")).build(),
                autostart("autostart-sysv-disabled", "update-rc.d legacyapp disable: K01 links instead of S01")
                        .breaks(AutostartFaults::disableLegacyApp)
                        .expect(code("SERVICE_NOT_ENABLED").severity(WARNING).evidence("unit", "legacyapp.service")
                                .evidence("state", "sysv-disabled")).build(),
                autostart("rc-local-not-executable", "a start command was added to rc.local, which is mode 0644")
                        .breaks(AutostartFaults::rcLocalWithCommands)
                        .expect(code("RC_LOCAL_NOT_EXECUTABLE").severity(WARNING).evidence("mode", "644")
                                .says("/opt/app/start.sh", "chmod +x /etc/rc.local"))
                        .absent("SERVICE_NOT_ENABLED").build());
    }

    private static Scenario.Builder<HostLab> autostart(String id, String story) {
        return HostScenarios.host(id, story).checks(CHECK).param("services", AutostartFaults.SERVICES)
                .param("root", AutostartFaults::root);
    }
}
