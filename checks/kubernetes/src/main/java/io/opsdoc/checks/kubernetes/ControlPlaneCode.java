package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-control-plane, each a section of the note kubernetes/control-plane. */
enum ControlPlaneCode implements CheckCode {
    APISERVER_NOT_READY("/readyz reports failing checks"),
    APISERVER_NOT_LIVE("/livez reports failing checks"),
    ETCD_UNHEALTHY("the API server's etcd checks fail"),
    CERT_EXPIRING("the API server's serving certificate expires soon"),
    CERT_EXPIRED("the API server's serving certificate has expired"),
    NO_LEADER_CONTROLLER_MANAGER("no kube-controller-manager holds a current leader Lease"),
    NO_LEADER_SCHEDULER("no kube-scheduler holds a current leader Lease"),
    SINGLE_CONTROL_PLANE_NODE("only one control-plane node (or one API server address): no control-plane high availability"),
    STATIC_POD_DOWN("a control-plane static pod (kube-apiserver, kube-controller-manager, kube-scheduler, etcd) is not Ready or missing on a control-plane node");

    private final String title;

    ControlPlaneCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ControlPlaneHealth.NOTE;
    }
}
