package io.opsdoc.checks.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.opsdoc.checks.kubernetes.ProbeFacts.ProbeSpec;
import io.opsdoc.checks.kubernetes.ProbeFacts.Probed;
import io.opsdoc.checks.kubernetes.ProbeFacts.Template;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;

/** The I/O half of {@link PodProbes}: Deployments, StatefulSets and DaemonSets, keeping their containers' ports and probes. */
final class ProbeCollector {
    private ProbeCollector() {
    }

    static ProbeFacts collect(CheckContext context) throws ProbeException {
        String namespace = context.parameters().string("namespace");
        try (KubeSession session = KubeSession.open(context, PodProbes.ID)) {
            var apps = session.client().apps();
            List<Template> out = new ArrayList<>();
            KubeLists.each(session, "deployments", apps.deployments(), namespace,
                    d -> out.add(template("Deployment", d, d.getSpec().getTemplate())));
            KubeLists.each(session, "statefulsets", apps.statefulSets(), namespace,
                    s -> out.add(template("StatefulSet", s, s.getSpec().getTemplate())));
            KubeLists.each(session, "daemonsets", apps.daemonSets(), namespace,
                    d -> out.add(template("DaemonSet", d, d.getSpec().getTemplate())));
            return new ProbeFacts(namespace, out);
        }
    }

    private static Template template(String kind, HasMetadata owner, PodTemplateSpec t) {
        List<Probed> containers = new ArrayList<>();
        if (t != null && t.getSpec() != null && t.getSpec().getContainers() != null) {
            for (Container c : t.getSpec().getContainers()) {
                List<Integer> ports = new ArrayList<>();
                if (c.getPorts() != null) {
                    for (ContainerPort p : c.getPorts()) {
                        if (p.getContainerPort() != null) {
                            ports.add(p.getContainerPort());
                        }
                    }
                }
                containers.add(new Probed(c.getName(), ports, spec(c.getReadinessProbe()), spec(c.getLivenessProbe()),
                        spec(c.getStartupProbe())));
            }
        }
        return new Template(kind, owner.getMetadata().getNamespace(), owner.getMetadata().getName(), containers);
    }

    private static ProbeSpec spec(Probe p) {
        if (p == null) {
            return null;
        }
        String handler;
        if (p.getHttpGet() != null) {
            var h = p.getHttpGet();
            handler = "httpGet " + (h.getScheme() == null ? "HTTP" : h.getScheme()) + " " + port(h.getPort()) + " "
                    + (h.getPath() == null ? "/" : h.getPath());
        } else if (p.getTcpSocket() != null) {
            handler = "tcpSocket " + port(p.getTcpSocket().getPort());
        } else if (p.getExec() != null) {
            handler = "exec " + (p.getExec().getCommand() == null ? "" : String.join(" ", p.getExec().getCommand()));
        } else if (p.getGrpc() != null) {
            handler = "grpc " + p.getGrpc().getPort() + (p.getGrpc().getService() == null ? "" : " " + p.getGrpc().getService());
        } else {
            handler = "none";
        }
        return new ProbeSpec(handler, orDefault(p.getInitialDelaySeconds(), 0), orDefault(p.getPeriodSeconds(), 10),
                orDefault(p.getTimeoutSeconds(), 1), orDefault(p.getFailureThreshold(), 3));
    }

    private static String port(io.fabric8.kubernetes.api.model.IntOrString p) {
        return p == null ? "?" : p.getIntVal() != null ? String.valueOf(p.getIntVal()) : p.getStrVal();
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }
}
