package io.opsdoc.lab.host;

import io.opsdoc.lab.ExternalBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real resolver for dns-resolution: Debian's dnsmasq inside the lab's network namespace, on port 53 of the
 * namespace's address (a port no other process of the host can hold), answering for {@code lab.test} from a hosts
 * file of the lab's own ({@code --local}: names not in it are NXDOMAIN, never forwarded) and with no upstream at all
 * ({@code --no-resolv}: any other name is REFUSED). Faults edit the hosts file and send SIGHUP, as an operator's
 * change would; iptables rules inside the namespace lose or drop the queries.
 */
final class LabDnsmasq implements AutoCloseable {
    static final String NAME = "db1.lab.test";
    static final String ADDRESS = "10.1.2.3";
    private static final String DNSMASQ = "/usr/sbin/dnsmasq";

    private final String ns;
    private final String address;
    private final Path hosts;
    private final Path log;
    private final Process process;

    static String unavailable() {
        return Files.isExecutable(Path.of(DNSMASQ)) ? null : ExternalBinary.missing("dnsmasq-base", "dnsmasq");
    }

    LabDnsmasq(String ns, String address, Path dir) {
        this.ns = ns;
        this.address = address;
        this.hosts = dir.resolve("dns-hosts." + ns);
        this.log = dir.resolve("dnsmasq." + ns + ".log");
        writeHosts(ADDRESS + " " + NAME + "\n");
        try {
            // dnsmasq drops to nobody: the hosts file must stay readable for it after SIGHUP
            Files.setPosixFilePermissions(hosts, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            process = new ProcessBuilder("ip", "netns", "exec", ns, DNSMASQ, "--no-daemon", "--conf-file=/dev/null",
                    "--port=53", "--listen-address=" + address, "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--addn-hosts=" + hosts, "--local=/lab.test/", "--cache-size=0", "--pid-file=",
                    "--log-facility=-").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Awaitility.await("dnsmasq answering on " + address + ":53 in " + ns).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("dnsmasq exited " + process.exitValue() + ": " + logText());
                        }
                        // proves this process owns the port: dnsmasq logs "failed to create listening socket" otherwise
                        return ADDRESS.equals(answer(NAME));
                    });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    String address() {
        return address;
    }

    /** The name now resolves to another address (a wrong or stale record), until the handle restores it. */
    AutoCloseable wrongAddress(String other) {
        return change(other + " " + NAME + "\n", other);
    }

    /** The name was removed from the zone: NXDOMAIN, until the handle restores it. */
    AutoCloseable nameRemoved() {
        return change("", "NXDOMAIN");
    }

    private AutoCloseable change(String content, String expect) {
        writeHosts(content);
        reload(expect);
        return () -> {
            writeHosts(ADDRESS + " " + NAME + "\n");
            reload(ADDRESS);
        };
    }

    private void reload(String expect) {
        Commands.run("kill", "-HUP", Long.toString(process.pid()));
        Awaitility.await("dnsmasq answering " + expect + " for " + NAME).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> expect.equals(answer(NAME)));
    }

    private void writeHosts(String content) {
        try {
            Path tmp = hosts.resolveSibling(hosts.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, hosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bare A query: the first address, "NXDOMAIN", another rcode's number, or null without an answer in 1 s. */
    String answer(String name) throws IOException {
        byte[] q = query(name);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            s.send(new DatagramPacket(q, q.length, InetAddress.getByName(address), 53));
            byte[] buf = new byte[512];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            int rcode = buf[3] & 0xf;
            if (rcode == 3) {
                return "NXDOMAIN";
            }
            int answers = ((buf[6] & 0xff) << 8) | (buf[7] & 0xff);
            if (rcode != 0 || answers == 0) {
                return "rcode " + rcode;
            }
            // header 12 + question (as sent, 4 bytes after the name), then the answer: a 2-byte name pointer, type,
            // class, TTL, length, and the address (dnsmasq answers a lone A record this way)
            int at = q.length + 2 + 2 + 2 + 4 + 2;
            return (buf[at] & 0xff) + "." + (buf[at + 1] & 0xff) + "." + (buf[at + 2] & 0xff) + "." + (buf[at + 3] & 0xff);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static byte[] query(String name) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x4f, 0x70, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return out.toByteArray();
    }

    private String logText() {
        try {
            return Files.readString(log).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
