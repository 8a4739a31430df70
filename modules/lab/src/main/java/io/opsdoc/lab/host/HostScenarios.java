package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux host checks on this machine, through both transports: variant "local" reads /proc and runs df
 * directly, variant "ssh" does the same through a real OpenSSH server as an ordinary user. Disk faults happen on the
 * lab's own 10 MiB tmpfs, which every disk scenario names with {@code mounts=}, so the machine's real (and busy)
 * file systems never decide a scenario.
 */
public final class HostScenarios implements ScenarioSet<HostLab> {
    /** Every host check: the transport scenarios run them all, since every one of them can meet a refused key. */
    static final List<String> CHECKS = List.of("linux-disk", "linux-inodes", "linux-load", "linux-memory",
            "linux-swap", "linux-fd-usage", "linux-zombies", "linux-cpu", "linux-tcp-states", "linux-tcp-queues",
            "linux-conntrack", "linux-process-threads", "linux-net-traffic", "linux-ip-forward",
            "tcp-keepalive-config", "dns-resolution", "linux-arp", "linux-service-autostart",
            "iptables-rules");
    private static final long MIB = 1024 * 1024;

    @Override
    public String system() {
        return "host";
    }

    @Override
    public String description() {
        return "this machine as a Linux host: a 10 MiB tmpfs to fill, and an OpenSSH server on loopback (variant ssh)";
    }

    @Override
    public List<LabVariant<HostLab>> variants() {
        return List.of(labVariant(HostLab.LOCAL), labVariant(HostLab.SSH));
    }

    private static LabVariant<HostLab> labVariant(String name) {
        return new LabVariant<>(name, () -> HostLab.unavailable(name), () -> HostLab.start(name),
                () -> HostLab.shared(name));
    }

    @Override
    public List<Scenario<HostLab>> scenarios() {
        List<Scenario<HostLab>> all = new ArrayList<>(List.of(
                disk("disk-healthy", "an empty file system, nothing deleted held open").healthy()
                        .metrics("disk_used_percent", "disk_available_bytes").build(),
                inodes("inodes-healthy", "an empty file system: almost every inode free").healthy()
                        .metrics("inodes_used_percent").build(),
                disk("disk-warning", "a file system 85% full").breaks(lab -> lab.fillDisk(85))
                        .expect(code("DISK_USAGE_WARNING").severity(WARNING).evidence("used_percent", 85)
                                .says("85% full"))
                        .absent("DISK_USAGE_CRITICAL").build(),
                disk("disk-critical", "a file system 95% full").breaks(lab -> lab.fillDisk(95))
                        .expect(code("DISK_USAGE_CRITICAL").severity(CRITICAL).evidence("used_percent", 95)
                                .says("95% full", "critical threshold of 90%"))
                        .absent("DISK_USAGE_WARNING").build(),
                disk("fs-read-only", "the file system was remounted read-only").breaks(HostLab::remountReadOnly)
                        .expect(code("FS_READ_ONLY").severity(WARNING).evidence("options", "ro").says("read-only"))
                        .absent("DISK_USAGE_WARNING", "DISK_USAGE_CRITICAL").build(),
                disk("deleted-file-held-open", "a 3 MiB log was deleted while a process still writes to it")
                        .holds(lab -> lab.holdDeletedFile(3 * MIB))
                        .expect(code("DELETED_OPEN_FILES").severity(WARNING).evidence("held_bytes", 3 * MIB)
                                .evidence("files", 1).says("rotated.log", "still held open"))
                        .absent("DISK_USAGE_WARNING").onlyOn(HostLab.LOCAL).build(),
                inodes("inodes-warning", "85% of the inodes used by small files").breaks(lab -> lab.useInodes(85))
                        .expect(code("INODES_WARNING").severity(WARNING).says("of its inodes"))
                        .absent("INODES_CRITICAL").build(),
                inodes("inodes-critical", "95% of the inodes used: almost no file can be created")
                        .breaks(lab -> lab.useInodes(95))
                        .expect(code("INODES_CRITICAL").severity(CRITICAL).says("No space left on device")).build(),
                host("zombies-healthy", "no parent leaves zombies behind (a few others' are INFO)").checks("linux-zombies")
                        .healthy().metrics("zombie_processes").build(),
                host("zombies", "a parent forked 30 children and never waits for them").checks("linux-zombies")
                        .holds(lab -> lab.zombies(30))
                        .expect(code("ZOMBIES_PRESENT").severity(WARNING).says("(perl): 30 zombie(s)").positive("zombies")).build(),
                host("load-read", "load and CPUs read over the transport; thresholds above anything this shared "
                        + "machine reaches (LOAD_HIGH and LOAD_RISING are decided on recorded facts)").checks("linux-load")
                        .param("per-cpu-warning", "1000").param("per-cpu-critical", "2000").healthy()
                        .metrics("load5_per_cpu", "cpus_online").build(),
                host("memory-healthy", "memory read by MemAvailable; no OOM kill (earlier ones since boot are INFO)")
                        .checks("linux-memory").healthy().metrics("memory_used_percent", "oom_kills_total").build(),
                host("oom-kills", "a process in a 32 MiB memory cgroup allocates 200 MB, again and again")
                        .checks("linux-memory").param("window", "3s").holds(HostLab::oomKills)
                        .expect(code("OOM_KILLS").severity(WARNING).positive("oom_kills_in_window").says("OOM killer"))
                        .build(),
                host("swap-read", "swap and its page counters read over the transport for a 1 s window (this "
                        + "machine has no swap: SWAP_HIGH and SWAPPING_ACTIVE are decided on recorded facts)")
                        .checks("linux-swap").param("window", "1s").healthy()
                        .metrics("swap_total_bytes", "swap_in_pages_per_second").build(),
                host("fd-healthy", "file handles far from fs.file-max, no process near its limit")
                        .checks("linux-fd-usage").healthy().metrics("file_handles_allocated", "file_handles_max").build(),
                host("process-fd-high", "a process with ulimit -n 64 holds 52 files open")
                        .checks("linux-fd-usage").holds(lab -> lab.openFiles(52))
                        .expect(code("PROCESS_FD_HIGH").severity(WARNING).evidence("soft_limit", 64)
                                .evidence("open", 52).says("(sleep)", "Too many open files"))
                        .absent("SYSTEM_FD_HIGH").onlyOn(HostLab.LOCAL).build()));
        all.addAll(NetworkScenarios.scenarios());
        all.addAll(PeerScenarios.scenarios());
        all.addAll(AutostartScenarios.scenarios());
        all.addAll(FirewallScenarios.scenarios());
        all.add(transport("ssh-host-key-changed", "the host's key is not the one pinned in known_hosts",
                HostLab::changeHostKey, "SSH_HOST_KEY_CHANGED", "ssh-keygen -R"));
        all.add(transport("ssh-host-key-unknown", "the host is not in known_hosts yet", HostLab::forgetHostKey,
                "SSH_HOST_KEY_UNKNOWN", "ssh-keyscan"));
        all.add(host("ssh-host-pinned-by-rsa", "known_hosts pins the host's RSA key only, as old known_hosts files do")
                .checks("linux-zombies").breaks(HostLab::pinRsaKeyOnly).healthy().onlyOn(HostLab.SSH).build());
        all.add(host("ssh-host-key-other-type", "known_hosts pins an ECDSA key; this server has ed25519 and RSA keys")
                .checks("linux-zombies").breaks(HostLab::pinOtherKeyType).onlyOn(HostLab.SSH)
                .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN).says("ecdsa-sha2-nistp256", "ssh-keyscan -t"))
                .absent("SSH_HOST_KEY_CHANGED").build());
        return all;
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        Map<String, String> m = new LinkedHashMap<>();
        String load = "raising the load average of this shared 2-CPU machine by several per CPU takes minutes of busy "
                + "processes (it is a 1-, 5- and 15-minute average) and would slow every other test; decided on recorded "
                + "/proc/loadavg in LinuxHostRecordedFactsTest";
        m.put("linux-load#LOAD_HIGH", load);
        m.put("linux-load#LOAD_RISING", load);
        m.put("linux-memory#MEMORY_HIGH", "MemAvailable is host-wide: only filling this shared machine's RAM would "
                + "lower it (a cgroup limit does not); decided on recorded /proc/meminfo");
        String swap = "this machine has no swap, and adding a swap file would need swapon on the shared host; "
                + "decided on recorded /proc/meminfo and /proc/vmstat";
        m.put("linux-swap#SWAP_HIGH", swap);
        m.put("linux-swap#SWAPPING_ACTIVE", swap);
        m.put("linux-fd-usage#SYSTEM_FD_HIGH", "reaching 70% of fs.file-max (millions here) means exhausting file "
                + "handles for every process, or lowering a host-wide sysctl; decided on recorded /proc/sys/fs/file-nr");
        m.putAll(NetworkScenarios.recordedFactsOnly());
        m.put("linux-service-autostart#SERVICE_FAILED", "this machine runs no systemd (no PID 1 manager, no D-Bus), so "
                + "no unit can be in the failed state; decided on recorded systemctl show output in "
                + "LinuxServiceAutostartRecordedFactsTest");
        m.put("linux-arp#ARP_TABLE_NEAR_FULL", "the neighbour table and its gc_thresh1-3 are global to the kernel (a "
                + "network namespace has no neigh/default of its own): reaching 80% of this machine's gc_thresh3 (1024) "
                + "or lowering it would cut every other test and user off new peers; decided on recorded /proc/net/arp "
                + "in LinuxArpRecordedFactsTest");
        return m;
    }

    static Scenario.Builder<HostLab> host(String id, String story) {
        // the first SSH login of a JVM loads the client and does a key exchange: on a busy machine that takes seconds
        return Scenario.<HostLab>of(id, story).target(HostLab::target).password(HostLab::passphrase)
                .timeout(Duration.ofSeconds(20));
    }

    /** linux-disk on the lab's tmpfs only. */
    private static Scenario.Builder<HostLab> disk(String id, String story) {
        return host(id, story).checks("linux-disk").param("mounts", HostLab::fileSystem);
    }

    private static Scenario.Builder<HostLab> inodes(String id, String story) {
        return host(id, story).checks("linux-inodes").param("mounts", HostLab::fileSystem);
    }

    /** Every host check refuses the key the same way; only over SSH. */
    private static Scenario<HostLab> transport(String id, String story,
            io.opsdoc.lab.scenario.Fault.ThrowingConsumer<HostLab> fault, String code, String advice) {
        Scenario.Builder<HostLab> b = host(id, story).checks(CHECKS.toArray(String[]::new)).breaks(fault)
                .param("mounts", HostLab::fileSystem).onlyOn(HostLab.SSH);
        for (String check : CHECKS) {
            b.expect(code(check, code).severity(UNKNOWN).says(advice));
        }
        return b.build();
    }
}
