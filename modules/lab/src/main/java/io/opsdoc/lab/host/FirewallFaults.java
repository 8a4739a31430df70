package io.opsdoc.lab.host;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * iptables-rules' faults, every one inside the lab's network namespace (never this machine's own rule set): each
 * returns a handle that removes exactly what it added, so the namespace's filter table is empty again after heal().
 */
final class FirewallFaults {
    /** The chain the large rule set goes into; deleted with its rules by the handle. */
    static final String LARGE_CHAIN = "OPSDOC-LAB-LARGE";

    private FirewallFaults() {
    }

    /** The lab's namespace, the two ends' addresses on its pair, and the lab's directory for rule files. */
    record Where(String ns, String hostAddress, String nsAddress, Path dir) {
    }

    @FunctionalInterface
    interface Fault {
        AutoCloseable apply(Where where) throws IOException;
    }

    /** A rule added with {@code tool} (iptables, iptables-legacy) in the namespace, deleted by the handle. */
    private static AutoCloseable rule(String ns, String tool, String chain, String... match) {
        List<String> add = argv(ns, tool, "-A", chain, match);
        Commands.run(add.toArray(String[]::new));
        return () -> Commands.quietly(argv(ns, tool, "-D", chain, match).toArray(String[]::new));
    }

    private static List<String> argv(String ns, String tool, String op, String chain, String... match) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, tool, "-w", "5", op, chain));
        argv.addAll(List.of(match));
        return argv;
    }

    private static AutoCloseable all(List<AutoCloseable> handles) {
        return () -> {
            for (int i = handles.size() - 1; i >= 0; i--) {
                handles.get(i).close();
            }
        };
    }

    /** A plain host firewall that nothing hits: loopback and SSH accepted, a closed port rejected. */
    static AutoCloseable ordinaryInputRules(Where w) {
        String ns = w.ns();
        return all(List.of(rule(ns, "iptables", "INPUT", "-i", "lo", "-j", "ACCEPT"),
                rule(ns, "iptables", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"),
                rule(ns, "iptables", "INPUT", "-p", "tcp", "--dport", "9999", "-j", "REJECT")));
    }

    /**
     * A DROP rule for UDP port 9 from the host's end of the pair, while the host sends a datagram there every 20 ms:
     * the rule's packet counter rises by construction, whatever the machine's load. Returns once it has risen.
     */
    static AutoCloseable droppedTraffic(Where w) throws IOException {
        String ns = w.ns();
        String hostAddress = w.hostAddress();
        AutoCloseable drop = rule(ns, "iptables", "INPUT", "-s", hostAddress + "/32", "-p", "udp", "--dport", "9",
                "-j", "DROP");
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName(hostAddress));
        InetAddress peer = InetAddress.getByName(w.nsAddress());
        UdpSender sender = UdpSender.start("lab-firewall-drops", socket, peer, 9, 64, 20);
        AutoCloseable stop = () -> {
            sender.close();
            drop.close();
        };
        try {
            Awaitility.await("the DROP rule counting packets").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> droppedByUdp9(ns) > 0);
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

    /** The packet counter of the UDP-9 DROP rule, as iptables-save -c prints it. */
    private static long droppedByUdp9(String ns) {
        for (String line : Commands.run("ip", "netns", "exec", ns, "iptables-save", "-c", "-t", "filter").lines().toList()) {
            if (line.startsWith("[") && line.contains("--dport 9 ") && line.endsWith("-j DROP")) {
                return Long.parseLong(line.substring(1, line.indexOf(':')));
            }
        }
        return 0;
    }

    /** FORWARD's policy set to DROP with no rule (a hardening script run on a container host); undone by the handle. */
    static AutoCloseable forwardPolicyDrop(Where w) {
        String ns = w.ns();
        Commands.run("ip", "netns", "exec", ns, "iptables", "-w", "5", "-P", "FORWARD", "DROP");
        return () -> Commands.quietly("ip", "netns", "exec", ns, "iptables", "-w", "5", "-P", "FORWARD", "ACCEPT");
    }

    /** {@code rules} rules (one per source address) loaded with one iptables-restore call into a chain of their own. */
    static Fault largeRuleSet(int rules) {
        return w -> largeRuleSet(w.ns(), w.dir(), rules);
    }

    private static AutoCloseable largeRuleSet(String ns, Path dir, int rules) throws IOException {
        StringBuilder s = new StringBuilder("*filter\n:").append(LARGE_CHAIN).append(" - [0:0]\n");
        for (int i = 0; i < rules; i++) {
            s.append("-A ").append(LARGE_CHAIN).append(" -s 10.").append(100 + i / 62500).append('.')
                    .append(i / 250 % 250).append('.').append(i % 250 + 1).append("/32 -j ACCEPT\n");
        }
        s.append("COMMIT\n");
        Path file = dir.resolve("large-ruleset.rules");
        Files.writeString(file, s);
        Commands.run("ip", "netns", "exec", ns, "iptables-restore", "-w", "5", "--noflush", file.toString());
        return () -> {
            Commands.quietly("ip", "netns", "exec", ns, "iptables", "-w", "5", "-F", LARGE_CHAIN);
            Commands.quietly("ip", "netns", "exec", ns, "iptables", "-w", "5", "-X", LARGE_CHAIN);
            Files.deleteIfExists(file);
        };
    }

    /**
     * One rule through iptables-legacy (x_tables) and one through iptables-nft, as after a distribution upgrade that
     * switched the alternative while an old service still loads its rules with the legacy tool.
     */
    static AutoCloseable mixedBackEnds(Where w) {
        String ns = w.ns();
        return all(List.of(rule(ns, "iptables-legacy", "INPUT", "-p", "tcp", "--dport", "9998", "-j", "DROP"),
                rule(ns, "iptables-nft", "INPUT", "-p", "tcp", "--dport", "9997", "-j", "DROP")));
    }
}
