package io.opsdoc.lab.host;

import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Linux host to break, reached two ways: {@code local:} or {@code ssh://} through a real OpenSSH server on
 * loopback (variant "ssh"). Both look at this same machine, so one set of faults serves both: a 10 MiB tmpfs with
 * 200 inodes to fill or make read-only, a deleted file held open, a parent that never reaps its children. Every
 * fault stays inside the lab's directory, its own processes and the test user; {@link #heal()} undoes it.
 */
public final class HostLab implements Lab {
    public static final String LOCAL = "local";
    public static final String SSH = "ssh";
    private static final Map<String, HostLab> SHARED = new ConcurrentHashMap<>();

    private final String variant;
    private final Path dir;
    private final Tmpfs tmpfs;
    private final LabSshd sshd;
    private final List<AutoCloseable> held = new ArrayList<>();
    private Path knownHosts;
    private java.net.ServerSocket listener;
    private LabNetns netns;

    private HostLab(String variant, Path dir, Tmpfs tmpfs, LabSshd sshd) {
        this.variant = variant;
        this.dir = dir;
        this.tmpfs = tmpfs;
        this.sshd = sshd;
        this.knownHosts = sshd == null ? null : sshd.knownHosts();
    }

    /** Null when the variant can run here, else why not. */
    public static String unavailable(String variant) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the host lab mounts a tmpfs: it needs root (CAP_SYS_ADMIN)";
        }
        if (LabNetns.unavailable() != null) {
            return LabNetns.unavailable();
        }
        if (LabDnsmasq.unavailable() != null) {
            return LabDnsmasq.unavailable();
        }
        return SSH.equals(variant) ? LabSshd.unavailable() : null;
    }

    public static HostLab start(String variant) {
        Path dir = LabFiles.tempDir("opsdoc-host-lab-");
        Tmpfs tmpfs = new Tmpfs(dir.resolve("fs"));
        LabSshd sshd = null;
        try {
            // the ssh user runs df on the tmpfs: every directory above it must be searchable
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            tmpfs.mount();
            if (SSH.equals(variant)) {
                sshd = LabSshd.start(dir);
            }
        } catch (IOException | RuntimeException e) {
            if (sshd != null) {
                sshd.close();
            }
            tmpfs.close();
            LabFiles.deleteRecursively(dir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        HostLab lab = new HostLab(variant, dir, tmpfs, sshd);
        // a test JVM killed mid-scenario must not leave a mount or an sshd behind
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "host-lab-cleanup"));
        return lab;
    }

    public static HostLab shared(String variant) {
        return SHARED.computeIfAbsent(variant, HostLab::start);
    }

    public String variant() {
        return variant;
    }

    /** The target the checks run on: {@code local:} or the lab's sshd as the test user with its key. */
    public String target() {
        if (sshd == null) {
            return "local:";
        }
        return "ssh://" + LabSshd.USER + "@127.0.0.1:" + sshd.port() + "?identity=" + encode(sshd.identity())
                + "&known-hosts=" + encode(knownHosts);
    }

    /** The key's passphrase (the check's password) over SSH; none locally. */
    public String passphrase() {
        return sshd == null ? null : sshd.passphrase();
    }

    /** The lab's tmpfs: what {@code --set mounts=} names so that the disk checks look at it alone. */
    public String fileSystem() {
        return tmpfs.path().toString();
    }

    public Path directory() {
        return dir;
    }

    public int sshPort() {
        return sshd == null ? -1 : sshd.port();
    }

    public Path identity() {
        return sshd == null ? null : sshd.identity();
    }

    public Path knownHostsFile() {
        return sshd == null ? null : sshd.knownHosts();
    }

    private static String encode(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }

    // ---- faults ----

    /**
     * The port of a listener of the lab's own that accepts and closes at once: what the healthy accept-queue scenario
     * judges, since other work on a shared machine may leave its own listeners full.
     */
    public synchronized String healthyListenerPort() {
        if (listener == null) {
            java.net.ServerSocket s;
            try {
                s = new java.net.ServerSocket(0, 128, java.net.InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        s.accept().close();
                    } catch (IOException e) {
                        // closed by close()
                    }
                }
            }, "host-lab-listener");
            t.setDaemon(true);
            t.start();
            listener = s;
        }
        return Integer.toString(listener.getLocalPort());
    }

    /** The host end of the lab's veth pair (created on first use, deleted by close()). */
    public synchronized String netInterface() {
        if (netns == null) {
            netns = LabNetns.create();
        }
        return netns.hostInterface();
    }

    /**
     * The lab's network namespace as an ssh:// target: the same sshd, user and key, started inside the namespace, so
     * the checks read that namespace's sysctls (which no local: path can show: /proc/PID has no sys/). Only on the
     * ssh variant.
     */
    public synchronized String netnsTarget() {
        netInterface();
        netns.startSshd(sshd);
        return "ssh://" + LabSshd.USER + "@" + netns.nsAddress() + ":" + sshd.port() + "?identity="
                + encode(sshd.identity()) + "&known-hosts=" + encode(sshd.netnsKnownHosts());
    }

    /** Sets net.* sysctls inside the lab's namespace (name, value, name, value …); heal() does not undo them. */
    public void netnsSysctls(String... nameValues) {
        netInterface();
        for (int i = 0; i < nameValues.length; i += 2) {
            netns.sysctl(nameValues[i], nameValues[i + 1]);
        }
    }

    /** An MTU mismatch on the lab's veth pair with traffic over it: the host end drops every frame, until heal(). */
    public AutoCloseable mtuDrops() throws IOException {
        netInterface();
        return held(netns.mtuDrops());
    }

    /** tcp:// to the service of the peer host in the lab's namespace, across the veth pair. */
    public String tcpPortTarget() {
        return "tcp://" + peer().address() + ":" + NetnsPeer.PORT;
    }

    private synchronized NetnsPeer peer() {
        netInterface();
        return netns.peer();
    }

    /** The lab namespace's name: iptables-rules reads it with local: and netns=NAME, never this machine's rules. */
    public String netnsName() {
        netInterface();
        return netns.name();
    }

    /** A fault of {@link FirewallFaults} in the lab's namespace (never this machine's rules), until heal(). */
    AutoCloseable firewall(FirewallFaults.Fault fault) throws IOException {
        String ns = netnsName();
        return held(fault.apply(new FirewallFaults.Where(ns, netns.hostAddress(), netns.nsAddress(), dir)));
    }

    /** The peer's service stops (its port refuses), until heal(). */
    public void peerServiceStopped() {
        held(peer().stopService());
    }

    /** A DROP rule for the peer's port, inside the namespace, until heal(). */
    public void peerPortFirewalled() {
        held(peer().firewallDrop());
    }

    /** Every other SYN to the peer's port is dropped, until heal(). */
    public void peerLosesSyns() {
        held(peer().loseEveryOtherSyn());
    }

    /** Connects to the peer: the host's neighbour entry for it is complete (after an earlier fault left it FAILED). */
    public void reachPeer() {
        peer().reach();
    }

    /** The peer is gone while the host keeps sending to it: an unanswered ARP entry, until heal(). */
    public AutoCloseable unansweredNeighbour() throws IOException {
        return held(peer().unansweredNeighbour(netInterface()));
    }

    /** icmp:// to the peer host in the lab's namespace. */
    public String icmpTarget() {
        return "icmp://" + peer().address();
    }

    /** Every other ping to the peer is dropped, until heal(). */
    public void peerLosesPings() {
        held(peer().loseEveryOtherPing());
    }

    /** The peer's address leaves the link (the host is down), until heal(). */
    public void peerGone() {
        held(peer().addressGone());
    }

    /**
     * The lab's own resolv.conf (what dns-resolution reads with {@code resolv-conf=}, through either transport): by
     * default the namespace's dnsmasq alone, with one-second tries, so that a lost query costs 1 s, not glibc's 5.
     */
    public synchronized String resolvConf() {
        Path file = dir.resolve("resolv.conf");
        if (!Files.exists(file)) {
            writeResolvConf(defaultResolvConf());
        }
        return file.toString();
    }

    private String defaultResolvConf() {
        return "# the opsdoc host lab's resolver\nnameserver " + dns().address() + "\noptions timeout:1 attempts:2\n";
    }

    private synchronized LabDnsmasq dns() {
        netInterface();
        return netns.dnsmasq(dir);
    }

    private void writeResolvConf(String content) {
        try {
            Path file = dir.resolve("resolv.conf");
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name dns-resolution resolves, with the address it must have: {@code db1.lab.test=10.1.2.3}. */
    public String dnsNames() {
        dns();
        return LabDnsmasq.NAME + "=" + LabDnsmasq.ADDRESS;
    }

    /** The name now resolves to 10.9.9.9 (a stale record after a move), until heal(). */
    public void dnsWrongAddress() {
        held(dns().wrongAddress("10.9.9.9"));
    }

    /** The name was deleted from the zone, until heal(). */
    public void dnsNameRemoved() {
        held(dns().nameRemoved());
    }

    /** Every DNS query to the resolver is dropped by a firewall, until heal(). */
    public void dnsFirewalled() {
        dns();
        held(netns.dropDns());
    }

    /** Every other DNS query to the resolver is lost, until heal(). */
    public void dnsLosesQueries() {
        dns();
        held(netns.loseEveryOtherDnsQuery());
    }

    /** resolv.conf lists first an address where no DNS server runs (the peer host), then the real resolver. */
    public void resolvConfFirstServerDead() {
        writeResolvConf("nameserver " + peer().address() + "\nnameserver " + dns().address()
                + "\noptions timeout:1 attempts:2\n");
    }

    /** resolv.conf with a search domain and no nameserver line (as a DHCP client that lost its lease leaves it). */
    public void resolvConfWithoutNameserver() {
        writeResolvConf("search lab.test\noptions timeout:1 attempts:2\n");
    }

    /** resolv.conf with four nameservers: the fourth is never asked. */
    public void resolvConfFourNameservers() {
        String r = dns().address();
        writeResolvConf("nameserver " + r + "\nnameserver " + r + "\nnameserver " + r + "\nnameserver 10.214.0.53\n");
    }

    /** Fills the tmpfs to {@code percent} of its size. */
    public void fillDisk(double percent) {
        tmpfs.fillTo(percent);
    }

    /** Uses {@code percent} of the tmpfs's inodes with empty files. */
    public void useInodes(double percent) {
        tmpfs.useInodes(percent);
    }

    /** Remounts the tmpfs read-only, as the kernel does to a file system after errors. */
    public void remountReadOnly() {
        tmpfs.readOnly(true);
    }

    /**
     * Writes {@code bytes} to a file on the tmpfs, opens it, deletes it and keeps it open until the returned handle
     * is closed: the space stays used though no file name shows it (what a log rotated by rm does to a daemon).
     */
    public AutoCloseable holdDeletedFile(long bytes) throws IOException {
        Path file = tmpfs.path().resolve("rotated.log");
        Tmpfs.write(file, bytes);
        InputStream open = Files.newInputStream(file);
        Files.delete(file);
        return open;
    }

    /**
     * Starts a parent that forks {@code count} children and never waits for them: each child exits and stays a
     * zombie until the parent ends. The parent is killed by heal(); init reaps the zombies it inherits.
     */
    public AutoCloseable zombies(int count) throws IOException {
        return held(ProcessFaults.zombies(count));
    }

    /** A process with a soft open-files limit of 64 holding {@code open} descriptors, until heal(). */
    public AutoCloseable openFiles(int open) throws IOException {
        return held(ProcessFaults.openFiles(open));
    }

    /** Processes OOM-killed again and again in a 32 MiB memory cgroup of the lab's own, until heal(). */
    public AutoCloseable oomKills() throws IOException {
        return held(ProcessFaults.oomKills(dir));
    }

    /** {@code count} busy loops at nice 19, until heal(). */
    public AutoCloseable cpuBurners(int count) throws IOException {
        return held(ProcessFaults.cpuBurners(count));
    }

    /** A process named opsdoc-threads with {@code threads} threads in a cgroup limited to {@code pidsMax} tasks. */
    public AutoCloseable threads(int threads, int pidsMax) throws IOException {
        return held(ProcessFaults.threads(dir, threads, pidsMax));
    }

    /** {@code count} connections closed by their clients and never by the server (CLOSE_WAIT), until heal(). */
    public AutoCloseable closeWait(int count) throws IOException {
        return held(TcpFaults.closeWait(count));
    }

    /** {@code count} connections to one port closed first by the client: TIME_WAIT for 60 s. */
    public AutoCloseable timeWait(int count) throws IOException {
        return held(TcpFaults.timeWait(count));
    }

    /** A never-accepting listener with a backlog of 1 and a stream of connects to it, until heal(). */
    public AutoCloseable acceptQueueOverflow() throws IOException {
        return held(TcpFaults.acceptOverflow());
    }

    private AutoCloseable held(AutoCloseable h) {
        held.add(h);
        return h;
    }

    /** Zombies whose parent is {@code pid}, read from /proc as the check does. */
    static int zombieChildren(long pid) throws IOException {
        int n = 0;
        try (var entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : entries) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (after[0].equals("Z") && Long.parseLong(after[1]) == pid) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The check will find another key pinned for this host and port in known_hosts. */
    public void changeHostKey() {
        knownHosts = sshd.changedKnownHosts();
    }

    /** The check will find no key for this host and port in known_hosts. */
    public void forgetHostKey() {
        knownHosts = sshd.emptyKnownHosts();
    }

    /** The check will find only the host's RSA key pinned, not the ed25519 key a client is offered by default. */
    public void pinRsaKeyOnly() {
        knownHosts = sshd.rsaOnlyKnownHosts();
    }

    /** The check will find only a key of a type this server does not have (ECDSA) pinned for it. */
    public void pinOtherKeyType() {
        knownHosts = sshd.otherTypeKnownHosts();
    }

    @Override
    public synchronized void heal() {
        for (AutoCloseable h : held) {
            try {
                h.close();
            } catch (Exception e) {
                // the next step of healing still runs
            }
        }
        held.clear();
        tmpfs.clear();
        if (Files.exists(dir.resolve("resolv.conf"))) {
            writeResolvConf(defaultResolvConf());
        }
        if (sshd != null) {
            knownHosts = sshd.knownHosts();
        }
    }

    @Override
    public String where() {
        return sshd == null ? "local:, tmpfs " + tmpfs.path()
                : "sshd 127.0.0.1:" + sshd.port() + " (user " + LabSshd.USER + "), tmpfs " + tmpfs.path();
    }

    @Override
    public synchronized void close() {
        try {
            heal();
        } catch (RuntimeException e) {
            // closing goes on: unmount and stop sshd whatever state the file system is in
        }
        if (sshd != null) {
            sshd.close();
        }
        if (netns != null) {
            netns.close();
        }
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // the JVM ends it anyway
            }
        }
        tmpfs.close();
        LabFiles.deleteRecursively(dir);
    }
}
