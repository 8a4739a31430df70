package io.opsdoc.lab.edge;

import io.opsdoc.lab.support.LabFiles;
import io.opsdoc.lab.host.Commands;
import io.opsdoc.lab.host.LabNetns;
import io.opsdoc.lab.host.LabSshd;
import io.opsdoc.lab.scenario.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * Debian's keepalived 2.2 in two network namespaces (peers A and B) joined by their own veth pair, VRRP between them
 * for one VIP, and a third namespace set up as an LVS-DR real server. Each namespace also has a veth pair to this
 * host with the lab's OpenSSH server inside, so the checks reach every peer as an operator would: over ssh://, as an
 * ordinary user with a key. Peers A and B are hosts of their own ({@link VrrpPeerHost}: also a PID and a mount
 * namespace), so each sees only its own keepalived in /proc and has its own /run/keepalived, where keepalived's
 * notify script writes the instance's state ({@code VI_1.state}: MASTER, BACKUP, FAULT, STOP) and where the
 * {@code track_file} it watches lives. Faults: A's keepalived stopped (the VIP moves to B), A's tracked file set to 1
 * (A enters FAULT, B takes the VIP), VRRP dropped by iptables in both namespaces (both take the VIP: split brain),
 * both keepalived stopped (no VIP), A's sshd rejected (a peer that cannot be read), and the real server's VIP or ARP
 * sysctls taken away. {@link #close()} deletes the namespaces.
 */
public final class KeepalivedLab implements Lab {
    static final String KEEPALIVED = "/usr/sbin/keepalived";
    private static final String INSTANCE = "VI_1";
    private static final String TRACK_FILE = "fault";
    private static final Duration VRRP_WAIT = Duration.ofSeconds(30);
    private static KeepalivedLab shared;

    private final Path dir;
    private final LabSshd sshd;
    private final LabNetns a;
    private final LabNetns b;
    private final LabNetns rs;
    private final String linkA;
    private final String linkB;
    private final String subnet;
    private VrrpPeerHost hostA;
    private VrrpPeerHost hostB;
    private Process keepalivedA;
    private Process keepalivedB;
    private Process sshdA;
    private Process sshdB;
    private boolean dirty;

    private KeepalivedLab(Path dir, LabSshd sshd, LabNetns a, LabNetns b, LabNetns rs) {
        this.dir = dir;
        this.sshd = sshd;
        this.a = a;
        this.b = b;
        this.rs = rs;
        String id = String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
        this.linkA = "kaa" + id;
        this.linkB = "kab" + id;
        this.subnet = "10.215." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
    }

    /** Null when this machine can run it, else what is missing. */
    public static String unavailable() {
        if (!Files.isExecutable(Path.of(KEEPALIVED))) {
            return KEEPALIVED + " is not installed (Debian package keepalived; .ci/install-peers installs it)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
            return "iptables is not installed (Debian package iptables)";
        }
        for (String tool : List.of("/usr/bin/unshare", "/usr/bin/nsenter")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed (Debian package util-linux)";
            }
        }
        if (LabNetns.unavailable() != null) {
            return LabNetns.unavailable();
        }
        return LabSshd.unavailable(); // also: root, which network namespaces need as well
    }

    public static synchronized KeepalivedLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static KeepalivedLab start() {
        Path dir = LabFiles.tempDir("opsdoc-keepalived-lab-");
        List<AutoCloseable> made = new ArrayList<>();
        try {
            // sshd reads authorized_keys as the test user: every directory above it must be searchable
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            CompletableFuture<LabSshd> sshd = CompletableFuture.supplyAsync(() -> LabSshd.start(dir));
            List<LabNetns> nets = new ArrayList<>();
            while (nets.size() < 3) {
                LabNetns n = LabNetns.create();
                String prefix = n.nsAddress().substring(0, n.nsAddress().lastIndexOf('.'));
                if (nets.stream().noneMatch(o -> o.nsAddress().startsWith(prefix + "."))) {
                    nets.add(n);
                    made.add(n);
                } else {
                    n.close(); // two namespaces on one host subnet would confuse routing: draw again
                }
            }
            made.add(sshd.join());
            KeepalivedLab lab = new KeepalivedLab(dir, sshd.join(), nets.get(0), nets.get(1), nets.get(2));
            made.add(0, lab::closeLinks);
            lab.setUp();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "keepalived-lab-cleanup"));
            return lab;
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // tear-down goes on
                }
            }
            LabFiles.deleteRecursively(dir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void setUp() {
        Commands.run("ip", "link", "add", linkA, "type", "veth", "peer", "name", linkB);
        Commands.run("ip", "link", "set", linkA, "netns", a.name());
        Commands.run("ip", "link", "set", linkB, "netns", b.name());
        Commands.run("ip", "-n", a.name(), "addr", "add", subnet + "1/24", "dev", linkA);
        Commands.run("ip", "-n", b.name(), "addr", "add", subnet + "2/24", "dev", linkB);
        Commands.run("ip", "-n", a.name(), "link", "set", linkA, "up");
        Commands.run("ip", "-n", b.name(), "link", "set", linkB, "up");
        int vrid = ThreadLocalRandom.current().nextInt(1, 255);
        writeNotifyScript();
        writeConfig("A", linkA, "MASTER", 150, vrid);
        writeConfig("B", linkB, "BACKUP", 100, vrid);
        hostA = VrrpPeerHost.start("A", a, dir.resolve("A-run"), dir.resolve("A.holder.log"));
        hostB = VrrpPeerHost.start("B", b, dir.resolve("B-run"), dir.resolve("B.holder.log"));
        hostA.write(TRACK_FILE, "0\n");
        hostB.write(TRACK_FILE, "0\n");
        CompletableFuture<Void> sshds = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> sshdA = sshd.launchIn(hostA.enter(), a.name(), a.nsAddress())),
                CompletableFuture.runAsync(() -> sshdB = sshd.launchIn(hostB.enter(), b.name(), b.nsAddress())),
                CompletableFuture.runAsync(() -> rs.startSshd(sshd)));
        keepalivedA = startKeepalived("A", hostA);
        keepalivedB = startKeepalived("B", hostB);
        realServerHealthy();
        sshds.join();
        awaitHolders(true, false);
        awaitStates("MASTER", "BACKUP");
    }

    /**
     * What SREs install for monitoring: keepalived calls it on every transition with TYPE NAME STATE PRIORITY, and it
     * replaces /run/keepalived/NAME.state atomically (rename), world-readable, so an ordinary user can read the state.
     */
    private void writeNotifyScript() {
        try {
            Path script = dir.resolve("notify.sh");
            Files.writeString(script, String.join("\n",
                    "#!/bin/sh",
                    "umask 022",
                    "printf '%s\\n' \"$3\" > " + VrrpPeerHost.RUN + "/\"$2\".state.tmp && mv -f " + VrrpPeerHost.RUN
                            + "/\"$2\".state.tmp " + VrrpPeerHost.RUN + "/\"$2\".state") + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeConfig(String name, String device, String state, int priority, int vrid) {
        try {
            Files.writeString(dir.resolve(name + ".conf"), String.join("\n",
                    "global_defs {",
                    "  router_id opsdoc" + name,
                    "  script_user root",
                    "}",
                    // a non-zero number in the file puts the instance in FAULT (weight 0), like a failed check
                    "track_file " + TRACK_FILE + " {",
                    "  file " + VrrpPeerHost.RUN + "/" + TRACK_FILE,
                    "}",
                    "vrrp_instance " + INSTANCE + " {",
                    "  state " + state,
                    "  interface " + device,
                    "  virtual_router_id " + vrid,
                    "  priority " + priority,
                    "  advert_int 1",
                    "  authentication {",
                    "    auth_type PASS",
                    "    auth_pass opsdoc1",
                    "  }",
                    "  track_file {",
                    "    " + TRACK_FILE + " weight 0",
                    "  }",
                    "  notify " + dir.resolve("notify.sh"),
                    "  virtual_ipaddress {",
                    "    " + vip() + "/24 dev " + device,
                    "  }",
                    "}") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** keepalived in the foreground (-n), VRRP only (-P), its own pid files so two can run on one host. */
    private Process startKeepalived(String name, VrrpPeerHost host) {
        return host.start(List.of(KEEPALIVED, "-n", "-l", "-D", "-P", "-f", dir.resolve(name + ".conf").toString(),
                "-p", dir.resolve(name + ".pid").toString(), "-r", dir.resolve(name + ".vrrp.pid").toString()),
                dir.resolve(name + ".log"));
    }

    /** SIGTERM, as systemctl stop does: keepalived sends a priority-0 advert, so the backup takes over at once. */
    private static void stop(Process p) {
        VrrpPeerHost.stop(p);
    }

    // ---- what the scenarios name ----

    /** The VRRP instance's virtual IP. */
    public String vip() {
        return subnet + "100";
    }

    /** The VIP of the LVS service the real-server namespace serves. */
    public String realServerVip() {
        return subnet + "200";
    }

    /** Both keepalived peers in one ssh:// target; {@code knownHosts} "" (the right keys), "empty" or "changed". */
    public String peersTarget(String knownHosts) {
        return target(List.of(a.nsAddress(), b.nsAddress()), knownHosts);
    }

    /** Where each peer's notify script writes the instance's state (the same path on both, as on real hosts). */
    public String stateFile() {
        return VrrpPeerHost.RUN + "/" + INSTANCE + ".state";
    }

    /** The peer meant to be MASTER (priority 150), as the peers target names it. */
    public String preferredMaster() {
        return a.nsAddress();
    }

    /** The real-server namespace as an ssh:// target. */
    public String realServerTarget(String knownHosts) {
        return target(List.of(rs.nsAddress()), knownHosts);
    }

    private String target(List<String> hosts, String knownHosts) {
        Path file = sshd.knownHostsFor("known_hosts.ka" + knownHosts + hosts.size(), knownHosts.equals("empty")
                ? List.of() : hosts, knownHosts.equals("changed"));
        StringBuilder t = new StringBuilder("ssh://" + LabSshd.USER + "@");
        for (int i = 0; i < hosts.size(); i++) {
            t.append(i == 0 ? "" : ",").append(hosts.get(i)).append(':').append(sshd.port());
        }
        return t + "?identity=" + encode(sshd.identity()) + "&known-hosts=" + encode(file);
    }

    public String passphrase() {
        return sshd.passphrase();
    }

    private static String encode(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }

    // ---- faults ----

    /** A's keepalived stopped: B takes the VIP over (a healthy failover). */
    public void stopMaster() {
        dirty = true;
        stop(keepalivedA);
        awaitHolders(false, true);
    }

    /**
     * A's tracked file says 1, as a failed health check would: A enters FAULT and drops the VIP, B becomes MASTER.
     * Both keepalived keep running.
     */
    public void faultPreferredMaster() {
        dirty = true;
        hostA.write(TRACK_FILE, "1\n");
        awaitHolders(false, true);
        awaitStates("FAULT", "MASTER");
    }

    /** Both keepalived stopped: nobody holds the VIP. */
    public void stopBoth() {
        dirty = true;
        stop(keepalivedA);
        stop(keepalivedB);
        awaitHolders(false, false);
    }

    /** IP protocol 112 (VRRP) dropped on input in both namespaces: each stops hearing the other and takes the VIP. */
    public void blockVrrp() {
        dirty = true;
        for (LabNetns n : List.of(a, b)) {
            Commands.run("ip", "netns", "exec", n.name(), "iptables", "-A", "INPUT", "-p", "112", "-j", "DROP");
        }
        awaitHolders(true, true);
    }

    /** A firewall in A rejects SSH from the monitoring host: A cannot be read, while it still holds the VIP. */
    public void rejectSshToMaster() {
        dirty = true;
        Commands.run("ip", "netns", "exec", a.name(), "iptables", "-A", "INPUT", "-p", "tcp", "--dport",
                String.valueOf(sshd.port()), "-j", "REJECT", "--reject-with", "tcp-reset");
    }

    /** The real server lost its VIP from lo (a reboot without the persistent configuration). */
    public void removeRealServerVip() {
        dirty = true;
        Commands.run("ip", "-n", rs.name(), "addr", "del", realServerVip() + "/32", "dev", "lo");
    }

    /** The real server's ARP sysctls back at the kernel defaults (0): it answers ARP for the VIP on its interface. */
    public void realServerArpDefaults() {
        dirty = true;
        rs.sysctl("net.ipv4.conf.all.arp_ignore", "0");
        rs.sysctl("net.ipv4.conf.all.arp_announce", "0");
    }

    private void realServerHealthy() {
        Commands.quietly("ip", "-n", rs.name(), "addr", "del", realServerVip() + "/32", "dev", "lo");
        Commands.run("ip", "-n", rs.name(), "addr", "add", realServerVip() + "/32", "dev", "lo");
        rs.sysctl("net.ipv4.conf.all.arp_ignore", "1");
        rs.sysctl("net.ipv4.conf.all.arp_announce", "2");
    }

    @Override
    public synchronized void heal() {
        if (!dirty) {
            return;
        }
        for (LabNetns n : List.of(a, b)) {
            Commands.run("ip", "netns", "exec", n.name(), "iptables", "-F", "INPUT");
        }
        hostA.write(TRACK_FILE, "0\n");
        hostB.write(TRACK_FILE, "0\n");
        if (!keepalivedA.isAlive()) {
            keepalivedA = startKeepalived("A", hostA);
        }
        if (!keepalivedB.isAlive()) {
            keepalivedB = startKeepalived("B", hostB);
        }
        realServerHealthy();
        awaitHolders(true, false);
        awaitStates("MASTER", "BACKUP");
        dirty = false;
    }

    /** Waits until A and B hold the VIP (or not) as given, as the kernel of each namespace shows it. */
    private void awaitHolders(boolean onA, boolean onB) {
        Awaitility.await("VIP " + vip() + (onA ? " on" : " not on") + " A and" + (onB ? " on" : " not on") + " B")
                .atMost(VRRP_WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> holds(a, linkA) == onA && holds(b, linkB) == onB);
    }

    /** Waits until the state files keepalived's notify script wrote on A and B say these states. */
    private void awaitStates(String onA, String onB) {
        Awaitility.await(INSTANCE + " " + onA + " on A and " + onB + " on B").atMost(VRRP_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> hostA.read(INSTANCE + ".state").equals(onA) && hostB.read(INSTANCE + ".state").equals(onB));
    }

    private boolean holds(LabNetns ns, String device) {
        String out = Commands.run("ip", "-n", ns.name(), "-o", "addr", "show", "dev", device);
        return out.contains(" " + vip() + "/");
    }

    @Override
    public String where() {
        return "keepalived in netns " + a.name() + " (" + a.nsAddress() + ") and " + b.name() + " (" + b.nsAddress()
                + "), VIP " + vip() + "; real server " + rs.name() + " (" + rs.nsAddress() + "); sshd port "
                + sshd.port();
    }

    private void closeLinks() {
        stop(keepalivedA);
        stop(keepalivedB);
        for (VrrpPeerHost h : new VrrpPeerHost[] {hostA, hostB}) {
            if (h != null) {
                h.close(); // and with it the sshd inside
            }
        }
        for (Process p : new Process[] {sshdA, sshdB}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public synchronized void close() {
        closeLinks();
        a.close(); // deleting a namespace removes its veth ends, the VRRP link with them
        b.close();
        rs.close();
        sshd.close();
        LabFiles.deleteRecursively(dir);
    }
}
