package io.opsdoc.lab.kubernetes;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.host.Commands;
import io.opsdoc.lab.host.LabSshAccess;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Three Calico nodes' BIRD (Debian bird2, BIRD 2.0) in three network namespaces: node A peers over one veth pair with
 * node B (protocol {@code Mesh_<B's ip>}, the node-to-node mesh) and over another with C ({@code Global_<C's ip>}, a
 * top-of-rack router as a global BGPPeer), named as Calico's confd names them, with short timers (hold 3 s, connect
 * retry 1 s). A fourth BIRD in A's namespace runs no BGP protocol (a single-node cluster's). The checks read A's
 * control socket, a file in the lab's directory. Faults are real: a peer's BIRD stopped (SIGTERM, as when calico-node
 * goes away), TCP port 179 dropped in a peer's namespace. {@link #heal()} restarts what was stopped, deletes the rules
 * and waits until both sessions are Established again.
 */
public final class BgpLab implements Lab {
    static final Path BIRD = Path.of("/usr/sbin/bird");
    static final Path BIRDC = Path.of("/usr/sbin/birdc");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static BgpLab shared;

    private final Path dir;
    private final Path run;
    private final String id;
    private final String subnet;
    private final Node a;
    private final Node b;
    private final Node c;
    private final Node lone;
    private final LabSshAccess ssh;
    private final List<String> dropped = new ArrayList<>();
    private boolean socketShared;

    /** One BIRD daemon: its namespace, config, control socket and process. */
    private final class Node {
        final String name;
        final String ns;
        final Path config;
        final Path socket;
        Process process;

        Node(String name, String ns) {
            this.name = name;
            this.ns = ns;
            this.config = dir.resolve("bird-" + name + ".conf");
            this.socket = run.resolve(name + ".ctl");
        }

        /** bird in the foreground (-f) in its namespace, its own socket and pid file, logging to stderr. */
        synchronized void start() {
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                Files.deleteIfExists(socket);
                process = new ProcessBuilder("ip", "netns", "exec", ns, BIRD.toString(), "-f", "-c", config.toString(),
                        "-s", socket.toString(), "-P", dir.resolve(name + ".pid").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SIGTERM, as when calico-node stops: BIRD sends its peers a Cease and removes its socket. */
        synchronized void stop() {
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        String log() {
            try {
                return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    private BgpLab(Path dir) {
        this.dir = dir;
        this.run = dir.resolve("run");
        this.id = String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
        this.subnet = "10.216." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
        this.a = new Node("a", "opsdoc-bgp-a" + id);
        this.b = new Node("b", "opsdoc-bgp-b" + id);
        this.c = new Node("c", "opsdoc-bgp-c" + id);
        this.lone = new Node("lone", a.ns);
        this.ssh = new LabSshAccess(dir);
    }

    /** Null when BIRD can run here, else which package is missing. */
    public static String unavailable() {
        if (!Files.isExecutable(BIRD)) {
            return ExternalBinary.missing("bird2", BIRD.toString());
        }
        if (!Files.isExecutable(BIRDC)) {
            return ExternalBinary.missing("bird2", BIRDC.toString());
        }
        return io.opsdoc.lab.host.LabNetns.unavailable();
    }

    public static synchronized BgpLab shared() {
        if (shared == null) {
            BgpLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-bgp-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    public static BgpLab start() {
        long t0 = System.nanoTime();
        BgpLab lab = new BgpLab(LabFiles.tempDir("opsdoc-bgp-lab-"));
        try {
            Files.createDirectories(lab.run);
            // the ssh:// scenarios come last: the sshd (user, keys) starts meanwhile instead of in the first of them;
            // a failure here is met again, and reported, by the scenario that needs it
            CompletableFuture.runAsync(() -> {
                try {
                    lab.ssh.passphrase();
                } catch (RuntimeException | Error e) {
                    // reported by the ssh:// scenarios
                }
            });
            lab.network();
            lab.configs();
            for (Node n : List.of(lab.a, lab.b, lab.c, lab.lone)) {
                n.start();
            }
            lab.awaitEstablished();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        System.out.printf("bgp lab: three BIRD nodes with both sessions Established in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        return lab;
    }

    /** Three namespaces; A-B on .1/.2 and A-C on .5/.6, each a /30 of the lab's 10.216.X.0/24. */
    private void network() {
        for (Node n : List.of(a, b, c)) {
            Commands.run("ip", "netns", "add", n.ns);
            Commands.run("ip", "-n", n.ns, "link", "set", "lo", "up");
        }
        link("bgab" + id, "bgba" + id, a, subnet + "1/30", b, subnet + "2/30");
        link("bgac" + id, "bgca" + id, a, subnet + "5/30", c, subnet + "6/30");
    }

    private static void link(String left, String right, Node l, String lAddr, Node r, String rAddr) {
        Commands.run("ip", "link", "add", left, "type", "veth", "peer", "name", right);
        Commands.run("ip", "link", "set", left, "netns", l.ns);
        Commands.run("ip", "link", "set", right, "netns", r.ns);
        Commands.run("ip", "-n", l.ns, "addr", "add", lAddr, "dev", left);
        Commands.run("ip", "-n", r.ns, "addr", "add", rAddr, "dev", right);
        Commands.run("ip", "-n", l.ns, "link", "set", left, "up");
        Commands.run("ip", "-n", r.ns, "link", "set", right, "up");
    }

    private void configs() throws IOException {
        String aIp = subnet + "1";
        String a2Ip = subnet + "5";
        write(a, aIp, bgp(meshB(), aIp, subnet + "2") + bgp(globalC(), a2Ip, subnet + "6"));
        write(b, subnet + "2", bgp("Mesh_" + aIp.replace('.', '_'), subnet + "2", aIp));
        write(c, subnet + "6", bgp("Node_" + a2Ip.replace('.', '_'), subnet + "6", a2Ip));
        write(lone, subnet + "9", "");
    }

    /** Calico's AS 64512 on every node (iBGP, as the default mesh), timers short so that faults show within seconds. */
    private static String bgp(String name, String local, String neighbor) {
        return "protocol bgp " + name + " {\n"
                + "  local " + local + " as 64512;\n"
                + "  neighbor " + neighbor + " as 64512;\n"
                + "  hold time 3; keepalive time 1; connect retry time 1; connect delay time 1; error wait time 1, 2;\n"
                + "  ipv4 { import all; export none; };\n"
                + "}\n";
    }

    private static void write(Node n, String routerId, String protocols) throws IOException {
        Files.writeString(n.config, "router id " + routerId + ";\nprotocol device { scan time 10; }\n" + protocols);
    }

    // ---- what the scenarios name ----

    /** A's session to B: the node-to-node mesh. */
    public String meshB() {
        return "Mesh_" + (subnet + "2").replace('.', '_');
    }

    /** A's session to C: a global BGPPeer (a top-of-rack router). */
    public String globalC() {
        return "Global_" + (subnet + "6").replace('.', '_');
    }

    /** B's address, as the finding names the mesh peer. */
    public String peerB() {
        return subnet + "2";
    }

    /** Node A's control socket, what the check reads. */
    public String socket() {
        return a.socket.toString();
    }

    /** The control socket of the BIRD that runs no BGP protocol. */
    public String loneSocket() {
        return lone.socket.toString();
    }

    /** Where no BIRD runs: the socket path of a node whose calico-node is gone. */
    public String missingSocket() {
        return run.resolve("gone.ctl").toString();
    }

    // ---- faults ----

    /** B's BIRD stopped (calico-node on that node deleted or crashed): A's mesh session to B leaves Established. */
    public void stopMeshPeer() {
        b.stop();
        awaitDown(meshB());
    }

    /** B and C both stopped: A has no BGP session up at all. */
    public void stopAllPeers() {
        b.stop();
        c.stop();
        awaitDown(meshB());
        awaitDown(globalC());
    }

    /**
     * A firewall in C's namespace drops TCP port 179 both ways (as a security group without BGP would): no keepalive
     * gets through, A's hold timer (3 s) expires, and no new connection can be made in either direction.
     */
    public void dropBgpAtC() {
        for (String dir : List.of("--dport", "--sport")) {
            Commands.run("ip", "netns", "exec", c.ns, "iptables", "-I", "INPUT", "-p", "tcp", dir, "179", "-j", "DROP");
            synchronized (dropped) {
                dropped.add(dir);
            }
        }
        awaitDown(globalC());
    }

    /** A's control socket usable by the ssh:// test user: socket directory and socket in its group, as grants say. */
    public void shareSocketOverSsh() {
        ssh.shareWithTestUser(run); // the directory: group opsdoc, 0750 (there are no regular files in it)
        try {
            var group = run.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(io.opsdoc.lab.host.LabSshd.USER);
            Files.getFileAttributeView(a.socket, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            Files.setPosixFilePermissions(a.socket, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        socketShared = true;
    }

    /** Only the socket directory is the test user's: the socket itself stays root's 0660, as Calico leaves it. */
    public void shareSocketDirectoryOnly() {
        ssh.shareWithTestUser(run);
        socketShared = true;
    }

    public String sshTarget(LabSshAccess.HostKey key) {
        return ssh.target(key);
    }

    public String sshPassphrase() {
        return ssh.passphrase();
    }

    @Override
    public synchronized void heal() {
        synchronized (dropped) {
            for (String dir : dropped) {
                Commands.quietly("ip", "netns", "exec", c.ns, "iptables", "-D", "INPUT", "-p", "tcp", dir, "179", "-j",
                        "DROP");
            }
            dropped.clear();
        }
        if (socketShared) {
            try {
                var root = run.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("root");
                Files.getFileAttributeView(run, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(root);
                Files.getFileAttributeView(a.socket, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(root);
                Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            socketShared = false;
        }
        for (Node n : List.of(a, b, c, lone)) {
            n.start();
        }
        awaitEstablished();
    }

    // ---- waiting on BIRD's own view ----

    /** A's protocol table as the check reads it (birdc -r, as root). */
    private String show(Node n) {
        try {
            Process p = new ProcessBuilder(BIRDC.toString(), "-r", "-s", n.socket.toString(), "show", "protocols")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The info column's first word (the BGP state) of one protocol row of A, "" when absent. */
    private String state(String protocol) {
        for (String line : show(a).split("\\R")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 6 && f[0].equals(protocol)) {
                return f[5];
            }
        }
        return "";
    }

    private void awaitEstablished() {
        await("A's sessions " + meshB() + " and " + globalC() + " Established, the BIRD without BGP answering",
                () -> state(meshB()).equals("Established") && state(globalC()).equals("Established")
                        && show(lone).contains("device1"));
    }

    private void awaitDown(String protocol) {
        await("A's session " + protocol + " no longer Established", () -> {
            String s = state(protocol);
            return !s.isEmpty() && !s.equals("Established");
        });
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(condition);
        } catch (RuntimeException e) {
            StringBuilder logs = new StringBuilder();
            for (Node n : List.of(a, b, c, lone)) {
                logs.append("\n--- bird ").append(n.name).append(n.alive() ? " (running)" : " (not running)")
                        .append(": ").append(n.log());
            }
            logs.append("\n--- A's protocols:\n").append(show(a));
            throw new IllegalStateException(what + ": not within " + WAIT.toSeconds() + " s" + logs, e);
        }
    }

    @Override
    public String where() {
        return "BIRD 2 nodes in netns " + a.ns + " (" + subnet + "1, " + subnet + "5; socket " + a.socket + "), "
                + b.ns + " (" + subnet + "2), " + c.ns + " (" + subnet + "6)";
    }

    @Override
    public synchronized void close() {
        CompletableFuture.allOf(List.of(a, b, c, lone).stream().map(n -> CompletableFuture.runAsync(n::stop))
                .toArray(CompletableFuture[]::new)).join();
        for (Node n : List.of(a, b, c)) {
            Commands.quietly("ip", "netns", "del", n.ns); // removes the veth pairs with it
        }
        ssh.close();
        LabFiles.deleteRecursively(dir);
    }
}
