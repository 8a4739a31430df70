package io.opsdoc.lab.kubernetes;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A kube-apiserver stand-in for the control-plane endpoints: HTTPS with a serving certificate made by the JDK's
 * keytool (valid from/until the dates a fault asks for), {@code /version}, and {@code /readyz?verbose} /
 * {@code /livez?verbose} answered in the API server's own format ({@code [+]ping ok}, {@code [-]etcd failed:
 * reason withheld}, then {@code readyz check passed} or {@code readyz check failed} with status 200 or 500).
 * It also answers GET of the leader-election Leases {@code kube-system/kube-controller-manager} and
 * {@code kube-system/kube-scheduler} ({@link LeaderLease}): renewed a second before each request while healthy, as a
 * leader renewing every 2 s would show. The Fabric8 mock server serves neither these endpoints nor a certificate one
 * can date, hence this server. For the control-plane topology it serves the control-plane nodes (label selector),
 * the kube-system mirror pods of their static pods (field selector spec.nodeName) and the EndpointSlice
 * default/kubernetes, built by {@link StaticPodObjects}: healthy is three control-plane nodes, all four static pods
 * Ready on each.
 */
public final class ControlPlaneLab implements Lab {
    private static final List<String> CHECKS = List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync",
            "poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers",
            "poststarthook/start-apiextensions-controllers", "poststarthook/rbac/bootstrap-roles");
    private static final String PASSWORD = "opsdoc-lab";
    private static ControlPlaneLab shared;

    private final String version;
    private final Path dir;
    private HttpsServer server;
    private Path kubeconfig;
    private final List<String> failingReadyz = new ArrayList<>();
    private final List<String> failingLivez = new ArrayList<>();
    /** Start (days from now) and validity (days) of the current serving certificate. */
    private final int[] certificate = new int[2];
    /** The leader Leases of kube-controller-manager and kube-scheduler, by name; absent: GET answers 404. */
    private final Map<String, LeaderLease> leases = new HashMap<>();
    /** The nodes labelled control-plane; static pods by node, then component (absent: no mirror pod). */
    private final List<String> controlPlaneNodes = new ArrayList<>();
    /** The role label the control-plane nodes carry; null: none (an installer that does not label them). */
    private String roleLabel;
    private final Map<String, Map<String, io.fabric8.kubernetes.api.model.Pod>> staticPods = new HashMap<>();

    private ControlPlaneLab(String version) {
        this.version = version;
        dir = LabFiles.tempDir("opsdoc-k8s-cp");
    }

    /** Starts with a certificate valid from 30 days ago for 365 days, every health check passing and both leaders renewing. */
    public static ControlPlaneLab start(String version) {
        ControlPlaneLab lab = new ControlPlaneLab(version);
        lab.heal();
        return lab;
    }

    public static ControlPlaneLab start() {
        return start(KubernetesLab.DEFAULT_VERSION);
    }

    /** One lab per JVM, started on first use and stopped at JVM exit. Call {@link #heal()} before use. */
    public static synchronized ControlPlaneLab shared() {
        if (shared == null) {
            ControlPlaneLab lab = start();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "opsdoc-k8s-cp-lab-shutdown"));
            shared = lab;
        }
        return shared;
    }

    @Override
    public String where() {
        return "HTTPS health endpoints and serving certificate at " + url();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String targetUri() {
        return "k8s://" + KubeconfigFile.CONTEXT + "?kubeconfig=" + kubeconfig;
    }

    /** Back to healthy: all checks pass, a certificate valid for another 335 days. */
    @Override
    public synchronized void heal() {
        failingReadyz.clear();
        failingLivez.clear();
        leases.clear();
        for (String component : LeaderLease.COMPONENTS) {
            leases.put(component, LeaderLease.renewing(component));
        }
        controlPlane(List.of("cp-1", "cp-2", "cp-3"));
        serve(-30, 365);
    }

    /**
     * The leader of {@code component} (kube-controller-manager or kube-scheduler) stopped {@code ago} without
     * releasing its Lease (a crash, a node lost, a frozen process) and no other instance took over: the Lease
     * still names it, renewTime frozen at that moment.
     */
    public synchronized void leaderStopped(String component, Duration ago) {
        leases.put(component, leases.get(component).frozenAt(Instant.now().minus(ago)));
    }

    /**
     * {@code component}'s only instance shut down cleanly {@code ago} (its manifest moved out for maintenance):
     * client-go released the Lease (holderIdentity "", leaseDurationSeconds 1) and nobody acquired it since.
     */
    public synchronized void leaderReleased(String component, Duration ago) {
        leases.put(component, leases.get(component).releasedAt(Instant.now().minus(ago)));
    }

    /** There is no Lease for {@code component}: GET answers 404 NotFound, as on a cluster where it never ran. */
    public synchronized void leaseMissing(String component) {
        leases.remove(component);
    }

    /** The cluster was built with one control-plane node (kubeadm init, no --control-plane joins): cp-1 only. */
    public synchronized void singleControlPlane() {
        controlPlane(List.of("cp-1"));
    }

    /**
     * The static pod of {@code component} on {@code node} crash-loops (a bad flag in its manifest): its mirror pod is
     * Running but not Ready, the container waiting in CrashLoopBackOff after {@code restarts} restarts.
     */
    public synchronized void staticPodCrashLooping(String component, String node, int restarts) {
        staticPods.get(node).put(component, StaticPodObjects.crashLooping(component, node, restarts));
    }

    /** The manifest of {@code component} was moved out of /etc/kubernetes/manifests on {@code node}: no mirror pod. */
    public synchronized void staticPodMissing(String component, String node) {
        staticPods.get(node).remove(component);
    }

    /**
     * A cluster built by kubeadm before 1.20 and never relabelled: its single control-plane node carries only
     * node-role.kubernetes.io/master.
     */
    public synchronized void singleMasterOldLabel() {
        controlPlane(List.of("cp-1"));
        roleLabel = "node-role.kubernetes.io/master";
    }

    /**
     * An installer that labels no node with a control-plane role, and one API server: only the EndpointSlice
     * default/kubernetes (one address) tells how many there are. Without labelled nodes there are no static pods to look at.
     */
    public synchronized void singleApiServerUnlabelled() {
        controlPlane(List.of("cp-1"));
        roleLabel = null;
    }

    private void controlPlane(List<String> nodes) {
        roleLabel = "node-role.kubernetes.io/control-plane";
        controlPlaneNodes.clear();
        controlPlaneNodes.addAll(nodes);
        staticPods.clear();
        for (String n : nodes) {
            Map<String, io.fabric8.kubernetes.api.model.Pod> pods = new java.util.TreeMap<>();
            StaticPodObjects.COMPONENTS.forEach(c -> pods.put(c, StaticPodObjects.running(c, n)));
            staticPods.put(n, pods);
        }
    }

    /** etcd does not answer the API server: both readyz and livez fail on their etcd checks. */
    public synchronized void etcdDown() {
        failingReadyz.addAll(List.of("etcd", "etcd-readiness"));
        failingLivez.add("etcd");
    }

    /** One readyz check fails, e.g. {@code informer-sync} while caches sync after a restart. */
    public synchronized void notReady(String check) {
        failingReadyz.add(check);
    }

    /** Replaces the serving certificate with one valid from {@code startDays} (negative: in the past) for {@code validityDays}. */
    public synchronized void certificate(int startDays, int validityDays) {
        serve(startDays, validityDays);
    }

    private void serve(int startDays, int validityDays) {
        if (server != null && certificate[0] == startDays && certificate[1] == validityDays) {
            return;
        }
        if (server != null) {
            server.stop(0);
        }
        certificate[0] = startDays;
        certificate[1] = validityDays;
        try {
            Path keystore = dir.resolve("serving-" + System.nanoTime() + ".p12");
            keytool(keystore, startDays, validityDays);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                int status;
                String body;
                String type = "text/plain; charset=utf-8";
                synchronized (this) {
                    if (path.equals("/version")) {
                        String[] v = version.replace("v", "").split("\\.");
                        status = 200;
                        type = "application/json";
                        body = "{\"major\":\"" + v[0] + "\",\"minor\":\"" + v[1] + "\",\"gitVersion\":\"" + version
                                + "\",\"platform\":\"linux/amd64\"}";
                    } else if (path.startsWith(LeaderLease.PATH)) {
                        String name = path.substring(LeaderLease.PATH.length());
                        LeaderLease lease = leases.get(name);
                        type = "application/json";
                        status = lease == null ? 404 : 200;
                        body = lease == null ? LeaderLease.notFound(name) : lease.json(Instant.now());
                    } else if (path.equals("/api/v1/nodes")) {
                        // kubeadm labels its nodes control-plane only (since 1.24); faults switch to the old master label or none
                        String selector = query(exchange.getRequestURI().getRawQuery(), "labelSelector");
                        status = 200;
                        type = "application/json";
                        body = StaticPodObjects.nodeList(roleLabel != null && roleLabel.equals(selector)
                                ? controlPlaneNodes : List.of(), version, roleLabel);
                    } else if (path.equals("/api/v1/namespaces/kube-system/pods")) {
                        String selector = query(exchange.getRequestURI().getRawQuery(), "fieldSelector");
                        String node = selector != null && selector.startsWith("spec.nodeName=") ? selector.substring(14) : null;
                        status = 200;
                        type = "application/json";
                        body = StaticPodObjects.podList(node == null ? staticPods.values().stream()
                                .flatMap(m -> m.values().stream()).toList()
                                : new ArrayList<>(staticPods.getOrDefault(node, Map.of()).values()));
                    } else if (path.equals("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")) {
                        status = 200;
                        type = "application/json";
                        body = StaticPodObjects.apiserverSlice(controlPlaneNodes);
                    } else if (path.equals("/readyz") || path.equals("/livez")) {
                        List<String> failing = path.equals("/readyz") ? failingReadyz : failingLivez;
                        StringBuilder b = new StringBuilder();
                        for (String c : CHECKS) {
                            if (path.equals("/livez") && c.equals("etcd-readiness") || path.equals("/livez") && c.equals("informer-sync")) {
                                continue;
                            }
                            b.append(failing.contains(c) ? "[-]" + c + " failed: reason withheld\n" : "[+]" + c + " ok\n");
                        }
                        String name = path.substring(1);
                        b.append(failing.isEmpty() ? name + " check passed\n" : name + " check failed\n");
                        status = failing.isEmpty() ? 200 : 500;
                        body = b.toString();
                    } else {
                        status = 404;
                        body = "404 page not found\n";
                    }
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, KubeconfigFile.text(url()).replace("    server: " + url(),
                    "    server: " + url() + "\n    insecure-skip-tls-verify: true"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the lab API server", e);
        }
    }

    private static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void keytool(Path keystore, int startDays, int validityDays) throws IOException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new ArrayList<>(List.of(keytool, "-genkeypair", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", "apiserver",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=kube-apiserver",
                "-ext", "san=dns:kubernetes,dns:kubernetes.default.svc,ip:127.0.0.1",
                "-validity", Integer.toString(validityDays)));
        if (startDays != 0) {
            cmd.addAll(List.of("-startdate", (startDays > 0 ? "+" : "") + startDays + "d"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
        LabFiles.deleteRecursively(dir);
    }
}
