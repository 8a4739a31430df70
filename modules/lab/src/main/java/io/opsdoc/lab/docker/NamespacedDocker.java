package io.opsdoc.lab.docker;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * The lab's second dockerd, in a network namespace of its own, for the faults that would disturb the host: its
 * routes, its net.ipv4.ip_forward and its bridges are the namespace's, and its data root is a 64 MiB tmpfs the lab may
 * fill. The namespace has a "LAN" (veth lan0, 10.20.8.5/24); the healthy state is one user-defined bridge network,
 * lab-app (172.30.1.0/24), with one container, lab-app-1, attached.
 */
final class NamespacedDocker implements AutoCloseable {
    static final String LAN = "lan0";
    private static final String VPN_ROUTE = "10.40.0.0/16";
    private static final Set<String> KEPT_NETWORKS = Set.of("bridge", "host", "none", "lab-app");
    private static final Duration SHOWS = Duration.ofSeconds(30);

    private final Path dir;
    private final String netns;
    private final DockerCli run;
    private DockerEngine engine;
    private ReadOnlySocketProxy proxy;
    private DockerCli cli;
    private volatile boolean dirty;

    private NamespacedDocker(Path dir, String netns) {
        this.dir = dir;
        this.netns = netns;
        this.run = new DockerCli(Path.of("/usr/bin/docker"), dir.resolve("d.sock"), dir.resolve("cli"));
    }

    static NamespacedDocker start(Path dir, Path imageTar, String image) {
        NamespacedDocker d = new NamespacedDocker(dir, "opsdoc-dk-" + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt()));
        try {
            Files.createDirectories(dir);
            d.ip("netns", "add", d.netns);
            d.ip("-n", d.netns, "link", "set", "lo", "up");
            d.ip("-n", d.netns, "link", "add", LAN, "type", "veth", "peer", "name", LAN + "p");
            d.ip("-n", d.netns, "addr", "add", "10.20.8.5/24", "dev", LAN);
            d.ip("-n", d.netns, "link", "set", LAN, "up");
            d.ip("-n", d.netns, "link", "set", LAN + "p", "up");
            d.ipForward(true);
            d.engine = DockerEngine.start(dir, d.netns, "64m", List.of());
            d.proxy = ReadOnlySocketProxy.start(dir.resolve("ro.sock"), d.engine.socket());
            d.cli = new DockerCli(Path.of("/usr/bin/docker"), d.engine.socket(), dir.resolve("cli"));
            d.cli.docker("import", "-c", "CMD [\"/bin/sh\"]", imageTar.toString(), image);
            d.cli.docker("network", "create", "--subnet", "172.30.1.0/24", "lab-app");
            d.cli.docker("run", "-d", "--name", "lab-app-1", "--network", "lab-app", image, "sleep", "1000000");
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    String target() {
        return "docker://" + proxy.socket();
    }

    Path pidFile() {
        return engine.pidFile();
    }

    // ---- faults ----

    /**
     * A VPN brings a route to 10.40.0.0/16 via the LAN's gateway; two compose networks were created with explicit
     * subnets: lab-legacy 10.40.3.0/24 (inside the VPN's range) and lab-wide 10.20.0.0/16 (around the LAN).
     */
    void routeOverlap() {
        dirty = true;
        ip("-n", netns, "route", "add", VPN_ROUTE, "via", "10.20.8.1", "dev", LAN);
        cli.docker("network", "create", "--subnet", "10.40.3.0/24", "lab-legacy");
        cli.docker("network", "create", "--subnet", "10.20.0.0/16", "lab-wide");
        Awaitility.await("VPN route in dockerd's namespace").atMost(SHOWS).until(() ->
                Files.readString(Path.of("/proc", Files.readString(pidFile()).strip(), "net", "route")).contains("0000280A"));
    }

    /** Someone (a hardening script) sets net.ipv4.ip_forward=0 in dockerd's namespace. */
    void ipForwardOff() throws IOException {
        dirty = true;
        ipForward(false);
        Awaitility.await("dockerd sees ip_forward off").atMost(SHOWS).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.docker("info", "-f", "{{.IPv4Forwarding}}").strip().equals("false"));
    }

    /** A network created with enable_icc=false, and a container on it. */
    void iccOff(String image) {
        dirty = true;
        cli.docker("network", "create", "--subnet", "172.30.2.0/24", "-o", "com.docker.network.bridge.enable_icc=false",
                "lab-isolated");
        cli.docker("run", "-d", "--name", "lab-isolated-1", "--network", "lab-isolated", image, "sleep", "1000000");
    }

    /** The source notes' "bip": "192.169.100.1/24" typo, as a network: public addresses, not 192.168. */
    void publicSubnet() {
        dirty = true;
        cli.docker("network", "create", "--subnet", "192.169.100.0/24", "lab-bip");
    }

    /** A compose project was removed with docker rm, its network stays. */
    void unusedNetwork() {
        dirty = true;
        cli.docker("network", "create", "lab-old");
    }

    /**
     * A container writes into its volume until the file system holding the data root is full (a log volume no one
     * rotates), then frees the 3 MiB it had set aside: the file system stays about 95% full and dockerd can still
     * write its own state.
     */
    void fillRoot(String image) throws IOException {
        dirty = true;
        cli.docker("run", "--name", "lab-filler", "--network", "none", "-v", "lab-data:/data", image, "sh", "-c",
                "dd if=/dev/zero of=/data/reserve bs=1048576 count=3 2>/dev/null; "
                        + "dd if=/dev/zero of=/data/app.log bs=1048576 2>/dev/null; rm /data/reserve");
        Awaitility.await("data root over 90% full").atMost(SHOWS).until(() -> {
            FileStore f = Files.getFileStore(engine.dataRoot());
            return 100.0 * (f.getTotalSpace() - f.getUnallocatedSpace()) / f.getTotalSpace() >= 90;
        });
    }

    /** Back to the healthy state; nothing to do unless a fault ran. */
    void heal() throws IOException {
        if (!dirty) {
            return;
        }
        List<String> extra = cli.docker("ps", "-a", "--format", "{{.Names}}").lines()
                .filter(n -> !n.isBlank() && !n.equals("lab-app-1")).toList();
        if (!extra.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
            rm.addAll(extra);
            cli.docker(rm.toArray(String[]::new));
        }
        List<String> nets = cli.docker("network", "ls", "--format", "{{.Name}}").lines()
                .filter(n -> !n.isBlank() && !KEPT_NETWORKS.contains(n)).toList();
        if (!nets.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("network", "rm"));
            rm.addAll(nets);
            cli.docker(rm.toArray(String[]::new));
        }
        String volumes = cli.docker("volume", "ls", "-q").strip();
        if (!volumes.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("volume", "rm", "-f"));
            rm.addAll(volumes.lines().toList());
            cli.docker(rm.toArray(String[]::new));
        }
        if (!run.run(List.of("ip", "-n", netns, "route", "show", VPN_ROUTE)).isBlank()) {
            ip("-n", netns, "route", "del", VPN_ROUTE);
        }
        ipForward(true);
        dirty = false;
    }

    private void ipForward(boolean on) throws IOException {
        run.run(List.of("nsenter", "--net=/var/run/netns/" + netns, "sh", "-c",
                "echo " + (on ? 1 : 0) + " > /proc/sys/net/ipv4/ip_forward"));
    }

    private void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        run.run(cmd);
    }

    @Override
    public void close() {
        try {
            if (cli != null) {
                String all = cli.docker("ps", "-aq").strip();
                if (!all.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
                    rm.addAll(all.lines().toList());
                    cli.docker(rm.toArray(String[]::new));
                }
            }
        } catch (RuntimeException e) {
            // dockerd already gone: its containers die with containerd
        }
        if (proxy != null) {
            proxy.close();
        }
        if (engine != null) {
            engine.close();
        } else {
            DockerEngine.unmountBelow(dir);
        }
        try {
            run.run(List.of("ip", "netns", "del", netns));
        } catch (RuntimeException e) {
            // never created
        }
    }
}
