package io.opsdoc.lab.host;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * A network namespace of the lab's own joined to this host by a veth pair: the host end ({@code odhNNNNN},
 * 10.214.X.1/24) is an interface of the host's namespace, so /proc/net/dev shows it to local: and ssh:// alike. Its
 * faults stay on this pair; {@link #close()} deletes the namespace, which removes the pair.
 */
public final class LabNetns implements AutoCloseable {
    private final String ns;
    private final String hostIf;
    private final String nsIf;
    private final String subnet;

    private LabNetns(String id, int octet) {
        this.ns = "opsdoc-lab-" + id;
        this.hostIf = "odh" + id;
        this.nsIf = "odn" + id;
        this.subnet = "10.214." + octet + ".";
    }

    public static String unavailable() {
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return "ip is not installed (Debian package iproute2)";
        }
        // the peer's firewall faults (tcp-port, host-reachability, dns-resolution) run iptables inside the namespace
        return Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables")) ? null
                : "iptables is not installed (Debian package iptables)";
    }

    public static LabNetns create() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        LabNetns n = new LabNetns(String.format("%05d", r.nextInt(100_000)), r.nextInt(1, 255));
        try {
            Commands.run("ip", "netns", "add", n.ns);
            Commands.run("ip", "link", "add", n.hostIf, "type", "veth", "peer", "name", n.nsIf);
            Commands.run("ip", "link", "set", n.nsIf, "netns", n.ns);
            Commands.run("ip", "addr", "add", n.subnet + "1/24", "dev", n.hostIf);
            Commands.run("ip", "-n", n.ns, "addr", "add", n.subnet + "2/24", "dev", n.nsIf);
            Commands.run("ip", "link", "set", n.hostIf, "up");
            Commands.run("ip", "-n", n.ns, "link", "set", n.nsIf, "up");
            Commands.run("ip", "-n", n.ns, "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private Process sshd;
    private NetnsPeer peer;
    private LabDnsmasq dnsmasq;

    /** The namespace's resolver on its own address, port 53 (started once; its files in {@code dir}). */
    synchronized LabDnsmasq dnsmasq(Path dir) {
        if (dnsmasq == null) {
            dnsmasq = new LabDnsmasq(ns, nsAddress(), dir);
        }
        return dnsmasq;
    }

    /** An iptables rule at the top of the namespace's INPUT chain, deleted by the handle; the host's rules stay untouched. */
    static AutoCloseable inputRule(String ns, String... match) {
        Commands.run(iptables(ns, "-I", match));
        return () -> Commands.run(iptables(ns, "-D", match));
    }

    private static String[] iptables(String ns, String op, String... match) {
        String[] argv = new String[match.length + 7];
        String[] head = {"ip", "netns", "exec", ns, "iptables", op, "INPUT"};
        System.arraycopy(head, 0, argv, 0, head.length);
        System.arraycopy(match, 0, argv, head.length, match.length);
        return argv;
    }

    /** Every DNS query to the namespace is dropped (UDP and TCP port 53): a resolver behind a black hole. */
    AutoCloseable dropDns() {
        AutoCloseable udp = inputRule(ns, "-p", "udp", "--dport", "53", "-j", "DROP");
        AutoCloseable tcp = inputRule(ns, "-p", "tcp", "--dport", "53", "-j", "DROP");
        return () -> {
            udp.close();
            tcp.close();
        };
    }

    /** Every other UDP query to the namespace's port 53 is lost: each lookup is answered only at its second try. */
    AutoCloseable loseEveryOtherDnsQuery() {
        return inputRule(ns, "-p", "udp", "--dport", "53", "-m", "statistic", "--mode", "nth", "--every", "2",
                "--packet", "0", "-j", "DROP");
    }

    /** The namespace's peer host with a TCP service (created once). */
    synchronized NetnsPeer peer() {
        if (peer == null) {
            peer = new NetnsPeer(ns, nsIf, subnet + "3");
        }
        return peer;
    }

    /** The namespace's address, where {@link #startSshd} listens. */
    public String nsAddress() {
        return subnet + "2";
    }

    /** The host end's address on the pair. */
    String hostAddress() {
        return subnet + "1";
    }

    /** Starts the lab's sshd again inside the namespace (once). */
    public synchronized void startSshd(LabSshd labSshd) {
        if (sshd == null) {
            sshd = labSshd.launchInNetns(ns, nsAddress());
        }
    }

    /** Sets a sysctl inside the namespace only (net.* sysctls are per namespace): harmless to the host. */
    public void sysctl(String name, String value) {
        Commands.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", name + "=" + value);
    }

    /** The namespace's name, for {@code ip -n NAME} and {@code ip netns exec NAME}. */
    public String name() {
        return ns;
    }

    /** The host end of the pair, as /proc/net/dev names it. */
    String hostInterface() {
        return hostIf;
    }

    /**
     * The namespace's end takes frames of at most 1280 bytes while the host sends 1400-byte datagrams to it every
     * 10 ms: the veth drops each one and counts it as tx_dropped of the host end (an MTU mismatch on a link, as after
     * a half-done jumbo-frame change). The handle stops the sender and restores the MTU.
     */
    AutoCloseable mtuDrops() throws IOException {
        Commands.run("ip", "-n", ns, "link", "set", nsIf, "mtu", "1280");
        DatagramSocket socket = new DatagramSocket();
        InetAddress peer = InetAddress.getByName(subnet + "2");
        long before = txDropped();
        UdpSender sender = UdpSender.start("lab-mtu-drops", socket, peer, 9, 1400, 10);
        AutoCloseable stop = () -> {
            sender.close();
            Commands.quietly("ip", "-n", ns, "link", "set", nsIf, "mtu", "1500");
        };
        try {
            Awaitility.await("tx_dropped rising on " + hostIf).atMost(java.time.Duration.ofSeconds(20))
                    .pollInterval(java.time.Duration.ofMillis(100)).until(() -> txDropped() > before + 10);
        } catch (RuntimeException e) {
            try {
                stop.close();
            } catch (Exception ignored) {
                // the wait's failure is what matters
            }
            throw e;
        }
        return stop;
    }

    /** tx_dropped of the host end from /proc/net/dev, as the check reads it. */
    private long txDropped() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
            if (line.trim().startsWith(hostIf + ":")) {
                List<String> f = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                return Long.parseLong(f.get(11));
            }
        }
        throw new IllegalStateException(hostIf + " is not in /proc/net/dev");
    }

    @Override
    public void close() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
        if (peer != null) {
            peer.close();
        }
        if (sshd != null) {
            sshd.destroyForcibly();
            try {
                sshd.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Commands.quietly("ip", "netns", "del", ns);
        Commands.quietly("ip", "link", "del", hostIf); // gone with the namespace already, unless that failed
    }
}
