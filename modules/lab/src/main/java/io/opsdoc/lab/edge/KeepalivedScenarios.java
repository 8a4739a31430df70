package io.opsdoc.lab.edge;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * keepalived-vip over two real keepalived peers in network namespaces (VRRP on their own veth pair), and
 * lvs-realserver-prereqs on a third namespace set up as an LVS-DR real server; every peer read over ssh:// through an
 * sshd inside its namespace. The kernel here has no IPVS: lvs-virtual-services runs only to show that it says so
 * (and meets the SSH transport's faults); its own codes are judged on recorded /proc/net/ip_vs facts.
 */
public final class KeepalivedScenarios implements ScenarioSet<KeepalivedLab> {

    @Override
    public String system() {
        return "keepalived";
    }

    @Override
    public String description() {
        return "Debian keepalived 2.2 in two network namespaces with VRRP between them, a third namespace as an LVS-DR "
                + "real server, an OpenSSH server in each (a few seconds to start: the VIP appears ~3 s after keepalived)";
    }

    @Override
    public List<LabVariant<KeepalivedLab>> variants() {
        return List.of(new LabVariant<>("debian", KeepalivedLab::unavailable, KeepalivedLab::start,
                KeepalivedLab::shared));
    }

    @Override
    public List<Scenario<KeepalivedLab>> scenarios() {
        return List.of(
                vip("keepalived-healthy", "the MASTER (priority 150) holds the VIP, the BACKUP (100) does not")
                        .healthy().metrics("keepalived_vip_holders", "keepalived_peers_read", "keepalived_running")
                        // the first SSH logins of the JVM load the client and derive two keys from the passphrase
                        .timeout(Duration.ofSeconds(30)).build(),
                vrrp("keepalived-vrrp-healthy", "the notify scripts' state files say MASTER on the preferred peer, "
                        + "which holds the VIP, and BACKUP on the other").healthy()
                        .metrics("keepalived_vrrp_state", "keepalived_running").build(),
                vip("keepalived-failover", "the MASTER's keepalived is stopped: the BACKUP takes the VIP over, as "
                        + "designed, but the pair has no standby left").breaks(KeepalivedLab::stopMaster)
                        .expect(code("KEEPALIVED_DOWN").severity(WARNING).evidence("keepalived_processes", 0)
                                .says("not running", "no standby left"))
                        .absent("VIP_ABSENT", "VIP_ON_MULTIPLE_NODES", "PEER_UNREADABLE").build(),
                vrrp("keepalived-master-fault", "the preferred MASTER's tracked file reports a failure (track_file, "
                        + "weight 0): it enters FAULT and drops the VIP, the BACKUP becomes MASTER")
                        .breaks(KeepalivedLab::faultPreferredMaster)
                        .expect(code("VRRP_FAULT").severity(WARNING).evidence("state", "FAULT").says("FAULT state"))
                        .expect(code("UNEXPECTED_MASTER").severity(WARNING).says("not on the preferred master",
                                "its state is FAULT"))
                        .absent("KEEPALIVED_DOWN", "VIP_ABSENT", "VIP_ON_MULTIPLE_NODES", "STATE_UNREADABLE").build(),
                vrrp("keepalived-state-file-missing", "state-file names a file the notify scripts do not write (another "
                        + "instance's name)").param("state-file", "/run/keepalived/VI_9.state")
                        .expect(code("STATE_UNREADABLE").severity(WARNING).says("state of", "is unknown"))
                        .absent("KEEPALIVED_DOWN", "VRRP_FAULT", "UNEXPECTED_MASTER").build(),
                vip("keepalived-split-brain", "a firewall drops VRRP (IP protocol 112) in both namespaces: each peer "
                        + "stops hearing the other's adverts and takes the VIP").breaks(KeepalivedLab::blockVrrp)
                        .expect(code("VIP_ON_MULTIPLE_NODES").severity(CRITICAL).says("split brain", "on 2 peers"))
                        .absent("VIP_ABSENT", "PEER_UNREADABLE").timeout(Duration.ofSeconds(20)).build(),
                vip("keepalived-vip-absent", "keepalived is stopped on both peers: the VIP is nowhere")
                        .breaks(KeepalivedLab::stopBoth)
                        .expect(code("VIP_ABSENT").severity(CRITICAL).says("none of the 2 peer(s)"))
                        .expect(code("KEEPALIVED_DOWN").severity(CRITICAL).says("nor on any other peer"))
                        .absent("VIP_ON_MULTIPLE_NODES").build(),
                vip("keepalived-peer-unreadable", "a firewall on the MASTER rejects SSH from the monitoring host: the "
                        + "VIP is there but the check cannot see it").breaks(KeepalivedLab::rejectSshToMaster)
                        .expect(code("PEER_UNREADABLE").severity(WARNING).evidence("error_code", "UNREACHABLE")
                                .says("could not be read"))
                        .absent("VIP_ABSENT", "VIP_ON_MULTIPLE_NODES").build(),
                vip("keepalived-host-key-unknown", "the peers' host keys are not in known_hosts yet")
                        .target(lab -> lab.peersTarget("empty"))
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN)).build(),
                vip("keepalived-host-key-changed", "known_hosts pins other keys for the peers (reinstalled hosts, or "
                        + "someone in between)").target(lab -> lab.peersTarget("changed"))
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN)).build(),

                realServer("lvs-realserver-healthy", "a DR real server: the VIP as a /32 on lo, arp_ignore=1 and "
                        + "arp_announce=2").healthy().metrics("lvs_realserver_vips").build(),
                realServer("lvs-realserver-auto-vip", "the same real server checked without naming the VIP: lo's "
                        + "non-loopback address is taken as the VIP").param("vip", "").healthy().build(),
                realServer("lvs-realserver-vip-missing", "the real server lost the VIP from lo (a reboot without the "
                        + "persistent config): the director's packets for the VIP are dropped")
                        .breaks(KeepalivedLab::removeRealServerVip)
                        .expect(code("VIP_NOT_ON_LOOPBACK").severity(CRITICAL).says("does not own it"))
                        .absent("ARP_NOT_SUPPRESSED").build(),
                realServer("lvs-realserver-arp", "arp_ignore and arp_announce at the kernel defaults (0): the real "
                        + "server answers ARP for the VIP").breaks(KeepalivedLab::realServerArpDefaults)
                        .expect(code("ARP_NOT_SUPPRESSED").severity(CRITICAL).evidence("conf.all.arp_ignore", 0)
                                .says("arp_ignore 0"))
                        .absent("VIP_NOT_ON_LOOPBACK").build(),
                realServer("lvs-realserver-host-key-unknown", "the real server's host key is not in known_hosts yet")
                        .target(lab -> lab.realServerTarget("empty"))
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN)).build(),
                realServer("lvs-realserver-host-key-changed", "known_hosts pins another key for the real server")
                        .target(lab -> lab.realServerTarget("changed"))
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN)).build(),

                // lvs-virtual-services: no IPVS in this kernel, so only what it says about that, and its transport
                director("lvs-director-no-ipvs", "lvs-virtual-services on a host whose kernel has no IPVS (this "
                        + "machine's): it says so instead of reporting an empty director as healthy")
                        .expect(code("PROBE_FAILED").severity(UNKNOWN).says("IPVS is not loaded")).build(),
                director("lvs-director-host-key-unknown", "the director's host key is not in known_hosts yet")
                        .target(lab -> lab.realServerTarget("empty"))
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN)).build(),
                director("lvs-director-host-key-changed", "known_hosts pins another key for the director")
                        .target(lab -> lab.realServerTarget("changed"))
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN)).build());
    }

    /** The kernel of these machines has no IPVS (no ip_vs module, no /proc/net/ip_vs): no director can run here. */
    private static final String NO_IPVS = "this kernel has no IPVS (modprobe ip_vs: module not found; no "
            + "/proc/net/ip_vs), so no LVS director runs in the lab; evaluated on /proc/net/ip_vs in the kernel's exact "
            + "format in LvsVirtualServicesRecordedFactsTest";

    @Override
    public Map<String, String> recordedFactsOnly() {
        return Map.of("lvs-virtual-services#VS_NO_REAL_SERVERS", NO_IPVS,
                "lvs-virtual-services#ALL_WEIGHTS_ZERO", NO_IPVS);
    }

    private static Scenario.Builder<KeepalivedLab> vip(String id, String story) {
        return Scenario.<KeepalivedLab>of(id, story).checks("keepalived-vip").target(lab -> lab.peersTarget(""))
                .password(KeepalivedLab::passphrase).param("vip", KeepalivedLab::vip);
    }

    /** keepalived-vip with the VRRP state read from the notify scripts' files, and the preferred master named. */
    private static Scenario.Builder<KeepalivedLab> vrrp(String id, String story) {
        return vip(id, story).param("state-file", KeepalivedLab::stateFile)
                .param("expected-master", KeepalivedLab::preferredMaster);
    }

    /** The real-server namespace stands in for a director: it is the same kernel, without IPVS. */
    private static Scenario.Builder<KeepalivedLab> director(String id, String story) {
        return Scenario.<KeepalivedLab>of(id, story).checks("lvs-virtual-services")
                .target(lab -> lab.realServerTarget("")).password(KeepalivedLab::passphrase);
    }

    private static Scenario.Builder<KeepalivedLab> realServer(String id, String story) {
        return Scenario.<KeepalivedLab>of(id, story).checks("lvs-realserver-prereqs")
                .target(lab -> lab.realServerTarget("")).password(KeepalivedLab::passphrase)
                .param("vip", KeepalivedLab::realServerVip);
    }
}
