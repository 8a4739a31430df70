package io.opsdoc.checks.kubernetes;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * k8s-kube-proxy's node part: which Service ports should have a rule in the nat table's KUBE-SERVICES chain, and
 * whether the node has it. kube-proxy in iptables mode writes, per port of a Service with a cluster IP and at least one
 * usable endpoint, {@code -A KUBE-SERVICES -d CLUSTER_IP/32 -p tcp -m comment --comment "ns/name:port cluster IP" -m
 * tcp --dport PORT -j KUBE-SVC-...} (KUBE-SVL- with internalTrafficPolicy Local); a port without endpoints gets a
 * REJECT in the filter table's KUBE-SERVICES instead, and headless and ExternalName Services get nothing. A rule is
 * matched by destination, protocol and port, not by the chain's hash or the comment. No Fabric8 here: evaluation
 * runs without the client library ({@link KubeProxyCollector#servicePorts} reads the API objects).
 */
final class ServiceRules {
    private static final Pattern DEST = Pattern.compile("(?:^|\\s)-d\\s+([0-9.]+)(?:/32)?(?:\\s|$)");
    private static final Pattern PROTO = Pattern.compile("(?:^|\\s)-p\\s+(\\w+)");
    private static final Pattern DPORT = Pattern.compile("--dport\\s+(\\d+)");
    private static final Pattern JUMP = Pattern.compile("(?:^|\\s)-j\\s+(KUBE-SV[CL]-\\S+)");

    private ServiceRules() {
    }

    /** The usable ports that no rule of {@code kubeServices} (one sample of the nat KUBE-SERVICES chain) serves. */
    static List<KubeProxyFacts.ServicePort> missing(List<KubeProxyFacts.ServicePort> ports, List<String> kubeServices) {
        Set<String> present = new HashSet<>();
        for (String rule : kubeServices) {
            Matcher d = DEST.matcher(rule);
            Matcher p = PROTO.matcher(rule);
            Matcher port = DPORT.matcher(rule);
            if (d.find() && p.find() && port.find() && JUMP.matcher(rule).find()) {
                present.add(d.group(1) + " " + p.group(1).toLowerCase(Locale.ROOT) + " " + port.group(1));
            }
        }
        return ports.stream().filter(KubeProxyFacts.ServicePort::usable)
                .filter(sp -> !present.contains(sp.clusterIp() + " " + sp.protocol().toLowerCase(Locale.ROOT) + " "
                        + sp.number()))
                .toList();
    }

    /** Ports missing from every sample: a rule that appeared in the later read was being written, not lost. */
    static List<KubeProxyFacts.ServicePort> missingInAll(KubeProxyFacts.NodeRules r) {
        List<KubeProxyFacts.ServicePort> missing = r.servicePorts();
        for (List<String> sample : r.samples()) {
            Set<KubeProxyFacts.ServicePort> now = new HashSet<>(missing(r.servicePorts(), sample));
            missing = missing.stream().filter(now::contains).toList();
        }
        return r.samples().isEmpty() ? List.of() : missing;
    }

    /**
     * Reads the node's nat KUBE-SERVICES chain through the host transport of {@code node}: once, and once more after
     * confirm-after when a usable port had no rule.
     */
    static KubeProxyFacts.NodeRules read(CheckContext context, String node, List<KubeProxyFacts.ServicePort> ports,
            int ipv6Skipped) throws Exception {
        Target target = Target.parse(node);
        boolean sudo = context.parameters().bool("sudo");
        String netns = context.parameters().string("netns").strip();
        CheckContext onNode = new CheckContext(target, context.password(), context.parameters(), context.deadline(),
                context.clients());
        String where = HostAccess.where(target) + (netns.isEmpty() ? "" : " netns " + netns);
        return HostAccess.with(onNode, host -> {
            List<List<String>> samples = new ArrayList<>();
            samples.add(kubeServices(host.iptablesSave(sudo, netns), where));
            Duration confirm = context.parameters().duration("confirm-after");
            if (!missing(ports, samples.get(0)).isEmpty() && !confirm.isZero()) {
                long sleep = SamplingWindow.fit(confirm, context.remaining()).toMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                    samples.add(kubeServices(host.iptablesSave(sudo, netns), where));
                }
            }
            return new KubeProxyFacts.NodeRules(where, ports, samples, ipv6Skipped, null);
        });
    }

    private static List<String> kubeServices(String save, String where) throws ProbeException {
        if (save == null) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "iptables-save is not installed on " + where
                    + " (Debian/Ubuntu package iptables): kube-proxy's rules cannot be read");
        }
        return HostAccess.chainRules(save, "nat", "KUBE-SERVICES");
    }
}
