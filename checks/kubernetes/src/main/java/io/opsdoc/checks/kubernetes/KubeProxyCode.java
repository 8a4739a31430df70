package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-kube-proxy, each a section of the note kubernetes/networking. */
enum KubeProxyCode implements CheckCode {
    KUBE_PROXY_UNHEALTHY("kube-proxy is not Ready, missing, or its /healthz says its rules are stale on some nodes"),
    SERVICE_RULES_MISSING("Services with ready endpoints have no rule in the node's nat KUBE-SERVICES chain (iptables mode)");

    private final String title;

    KubeProxyCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return KubeProxyHealth.NOTE;
    }
}
