package io.opsdoc.lab.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A peer host inside the lab's network namespace, at its own address on the veth pair ({@code 10.214.X.3}), with a
 * TCP service on {@link #PORT}: what tcp-port connects to from the host. Its faults are the real ones a client
 * meets: the service stopped (a reset comes back), a firewall DROP rule (no answer at all), a rule that drops every
 * other SYN (each connect waits for the 1 s retransmission), the address gone (ARP fails: no route). iptables runs
 * inside the namespace only, so the host's own rules are never touched.
 */
final class NetnsPeer implements AutoCloseable {
    static final int PORT = 3306;
    /** Accepts and closes at once; "ready" once bound, so readiness is this process's own bind, not "something answers". */
    private static final String LISTENER = "use IO::Socket::INET; $|=1; my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', "
            + "LocalPort => " + PORT + ", Listen => 128, ReuseAddr => 1) or die \"bind: $!\\n\"; print \"ready\\n\"; "
            + "while (my $c = $s->accept) { close $c }";

    private final String ns;
    private final String nsIf;
    private final String address;
    private Process listener;

    NetnsPeer(String ns, String nsIf, String address) {
        this.ns = ns;
        this.nsIf = nsIf;
        this.address = address;
        Commands.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", nsIf);
        startListener();
    }

    String address() {
        return address;
    }

    private synchronized void startListener() {
        Process p;
        try {
            p = new ProcessBuilder("ip", "netns", "exec", ns, "perl", "-e", LISTENER).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first;
        try {
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            first = null;
        }
        if (!"ready".equals(first)) {
            p.destroyForcibly();
            throw new IllegalStateException("the listener in " + ns + " did not start: " + first);
        }
        listener = p;
        awaitConnect(true);
    }

    /** The service on the peer stops: its port answers a connect with a reset. Undone by the handle. */
    AutoCloseable stopService() {
        stopListener();
        awaitConnect(false);
        return this::startListener;
    }

    /** A firewall on the peer drops every packet to the port: the SYN never gets an answer. */
    AutoCloseable firewallDrop() {
        return rule("-p", "tcp", "--dport", String.valueOf(PORT), "-j", "DROP");
    }

    /** Every other SYN to the port is lost (as on a lossy link or a full SYN queue): a connect waits for the 1 s retry. */
    AutoCloseable loseEveryOtherSyn() {
        return rule("-p", "tcp", "--syn", "--dport", String.valueOf(PORT), "-m", "statistic", "--mode", "nth",
                "--every", "2", "--packet", "0", "-j", "DROP");
    }

    /** Every other ICMP echo request to the peer is dropped: half the pings are lost. */
    AutoCloseable loseEveryOtherPing() {
        return rule("-p", "icmp", "--icmp-type", "echo-request", "-m", "statistic", "--mode", "nth", "--every", "2",
                "--packet", "0", "-j", "DROP");
    }

    /** The peer goes away: its address leaves the link, so ARP for it gets no answer and the kernel says no route. */
    AutoCloseable addressGone() {
        Commands.run("ip", "-n", ns, "addr", "del", address + "/24", "dev", nsIf);
        return () -> Commands.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", nsIf);
    }

    /**
     * The peer is gone while a client on the host keeps sending to it (a UDP datagram every 200 ms): the host's
     * neighbour entry for it stays unanswered (flags 0x0 in /proc/net/arp) until the handle stops the sender and
     * gives the address back.
     */
    AutoCloseable unansweredNeighbour(String hostIf) throws IOException {
        AutoCloseable gone = addressGone();
        // a still-REACHABLE entry from earlier traffic would take its reachable time (up to ~45 s) to be doubted
        Commands.quietly("ip", "neigh", "flush", "to", address, "dev", hostIf);
        java.net.DatagramSocket socket = new java.net.DatagramSocket();
        java.net.InetAddress peer = java.net.InetAddress.getByName(address);
        Thread sender = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    socket.send(new java.net.DatagramPacket(new byte[1], 1, peer, 9));
                } catch (IOException e) {
                    // EHOSTUNREACH once ARP failed: the point of the fault; keep asking
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lab-unanswered-arp");
        sender.setDaemon(true);
        sender.start();
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        AutoCloseable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                socket.close();
                sender.interrupt();
                sender.join(5000);
                gone.close();
            }
        };
        try {
            Awaitility.await("an unanswered ARP entry for " + address).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> java.nio.file.Files.readAllLines(
                            java.nio.file.Path.of("/proc/net/arp")).stream().map(l -> l.trim().split("\\s+"))
                            .anyMatch(f -> f.length >= 6 && f[0].equals(address) && f[2].equals("0x0")
                                    && f[5].equals(hostIf)));
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

    private AutoCloseable rule(String... match) {
        return LabNetns.inputRule(ns, match);
    }

    /** Connects to the peer until it accepts: its neighbour entry on the host is then complete again. */
    void reach() {
        awaitConnect(true);
    }

    private void awaitConnect(boolean open) {
        Awaitility.await(address + ":" + PORT + (open ? " accepting" : " refusing")).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(address, PORT), 1000);
                        return open;
                    } catch (IOException e) {
                        return !open;
                    }
                });
    }

    private synchronized void stopListener() {
        if (listener != null) {
            listener.destroyForcibly();
            try {
                listener.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
    }

    @Override
    public void close() {
        stopListener();
    }
}
