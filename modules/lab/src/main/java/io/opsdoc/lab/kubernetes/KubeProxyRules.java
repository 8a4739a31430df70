package io.opsdoc.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The iptables-restore input kube-proxy's iptables proxier (Kubernetes 1.28-1.32) writes for the cluster-IP part of
 * the given Services: per port with usable endpoints, a KUBE-SERVICES jump in nat to KUBE-SVC-HASH (hash = the first
 * 16 characters of base32(sha256("ns/name:port" + "tcp"))), that chain's masquerade and random-probability rules, and
 * one KUBE-SEP chain per endpoint with its DNAT; per port without endpoints, a REJECT in the filter table's
 * KUBE-SERVICES ("has no endpoints"); nothing for headless Services. Enough of kube-proxy's fixed chains that the
 * dump reads like a node's.
 */
final class KubeProxyRules {
    private static final String CLUSTER_CIDR = "10.244.0.0/16";

    private KubeProxyRules() {
    }

    static String render(List<Service> services, List<EndpointSlice> slices) {
        List<String> natChains = new ArrayList<>();
        List<String> nat = new ArrayList<>();
        List<String> filter = new ArrayList<>();
        for (Service s : services) {
            String ip = s.getSpec().getClusterIP();
            if (ip == null || ip.equals("None") || ip.isEmpty()) {
                continue;
            }
            String ns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getName();
            for (ServicePort p : s.getSpec().getPorts()) {
                String portName = p.getName() == null ? "" : p.getName();
                String spn = ns + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
                String proto = p.getProtocol().toLowerCase(Locale.ROOT);
                List<String> targets = endpoints(slices, ns, name, portName);
                if (targets.isEmpty()) {
                    filter.add("-A KUBE-SERVICES -d " + ip + "/32 -p " + proto + " -m comment --comment \"" + spn
                            + " has no endpoints\" -m " + proto + " --dport " + p.getPort()
                            + " -j REJECT --reject-with icmp-port-unreachable");
                    continue;
                }
                String svc = "KUBE-SVC-" + hash(spn + proto);
                natChains.add(svc);
                nat.add("-A KUBE-SERVICES -d " + ip + "/32 -p " + proto + " -m comment --comment \"" + spn
                        + " cluster IP\" -m " + proto + " --dport " + p.getPort() + " -j " + svc);
                nat.add("-A " + svc + " ! -s " + CLUSTER_CIDR + " -d " + ip + "/32 -p " + proto + " -m comment "
                        + "--comment \"" + spn + " cluster IP\" -m " + proto + " --dport " + p.getPort()
                        + " -j KUBE-MARK-MASQ");
                for (int i = 0; i < targets.size(); i++) {
                    String ep = targets.get(i);
                    String sep = "KUBE-SEP-" + hash(spn + proto + ep);
                    natChains.add(sep);
                    int left = targets.size() - i;
                    nat.add("-A " + svc + " -m comment --comment \"" + spn + " -> " + ep + "\"" + (left > 1
                            ? String.format(Locale.ROOT, " -m statistic --mode random --probability %.11f", 1.0 / left)
                            : "") + " -j " + sep);
                    nat.add("-A " + sep + " -s " + ep.substring(0, ep.indexOf(':')) + "/32 -m comment --comment \""
                            + spn + "\" -j KUBE-MARK-MASQ");
                    nat.add("-A " + sep + " -p " + proto + " -m comment --comment \"" + spn + "\" -m " + proto
                            + " -j DNAT --to-destination " + ep);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n")
                .append(":KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-SERVICES - [0:0]\n")
                .append("-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible "
                        + "service portals\" -j KUBE-EXTERNAL-SERVICES\n")
                .append("-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD\n")
                .append("-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
                        + "-j KUBE-SERVICES\n")
                .append("-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
                        + "-j KUBE-SERVICES\n")
                .append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n")
                .append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark "
                        + "0x4000/0x4000 -j ACCEPT\n");
        filter.forEach(r -> b.append(r).append('\n'));
        b.append("COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n")
                .append(":POSTROUTING ACCEPT [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n")
                .append(":KUBE-POSTROUTING - [0:0]\n:KUBE-SERVICES - [0:0]\n");
        natChains.forEach(c -> b.append(':').append(c).append(" - [0:0]\n"));
        b.append("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n")
                .append("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n")
                .append("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n")
                .append("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n")
                .append("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n")
                .append("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n")
                .append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" "
                        + "-j MASQUERADE --random-fully\n");
        nat.forEach(r -> b.append(r).append('\n'));
        b.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last "
                + "rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\nCOMMIT\n");
        return b.toString();
    }

    /** "ip:port" of every ready endpoint the Service's slices give this port. */
    private static List<String> endpoints(List<EndpointSlice> slices, String ns, String service, String portName) {
        List<String> out = new ArrayList<>();
        for (EndpointSlice s : slices) {
            if (!ns.equals(s.getMetadata().getNamespace()) || s.getMetadata().getLabels() == null
                    || !service.equals(s.getMetadata().getLabels().get(ServiceObjects.SERVICE_NAME_LABEL))
                    || s.getPorts() == null || s.getEndpoints() == null) {
                continue;
            }
            for (EndpointPort p : s.getPorts()) {
                if (!portName.equals(p.getName() == null ? "" : p.getName())) {
                    continue;
                }
                for (Endpoint e : s.getEndpoints()) {
                    if (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())) {
                        e.getAddresses().forEach(a -> out.add(a + ":" + p.getPort()));
                    }
                }
            }
        }
        return out;
    }

    /** kube-proxy's portProtoHash: base32 (RFC 4648, upper case) of sha256, first 16 characters. */
    static String hash(String s) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : h) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 16) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }
}
