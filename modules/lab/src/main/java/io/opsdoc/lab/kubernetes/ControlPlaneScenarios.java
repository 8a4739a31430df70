package io.opsdoc.lab.kubernetes;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * k8s-control-plane against an HTTPS stand-in for the API server's {@code /readyz}, {@code /livez}, serving
 * certificate and the leader-election Leases of kube-controller-manager and kube-scheduler (the Fabric8 mock serves neither, nor a certificate one can date). A set of its own rather than part
 * of {@link KubernetesScenarios}: it runs another server, which none of those scenarios needs, and its answers do
 * not depend on the Kubernetes version those scenarios vary.
 */
public final class ControlPlaneScenarios implements ScenarioSet<ControlPlaneLab> {
    private static final String CHECK = "k8s-control-plane";

    @Override
    public String system() {
        return "kubernetes-control-plane";
    }

    @Override
    public String description() {
        return "an HTTPS stand-in for the Kubernetes API server's health endpoints and serving certificate (keytool, "
                + "~1 s per certificate)";
    }

    @Override
    public List<LabVariant<ControlPlaneLab>> variants() {
        return List.of(LabVariant.only(ControlPlaneLab::start, ControlPlaneLab::shared));
    }

    @Override
    public List<Scenario<ControlPlaneLab>> scenarios() {
        return List.of(
                scenario("control-plane-healthy", "readyz and livez pass, serving certificate valid for 335 more days, "
                        + "both leaders renewing their Leases, three control-plane nodes with etcd, kube-apiserver, "
                        + "kube-controller-manager and kube-scheduler static pods Ready on each")
                        .healthy().metrics("apiserver_cert_days_left", "leader_lease_age_seconds")
                        // the first check of the JVM loads Fabric8 and Vert.x and makes the first TLS handshakes:
                        // seconds on a loaded machine (load 24 on 2 cores hit the 10 s default once)
                        .timeout(Duration.ofSeconds(30)).build(),
                scenario("controller-manager-leader-stopped", "the kube-controller-manager leader on cp-1 froze 2 "
                        + "minutes ago; its Lease still names it and no standby took over")
                        .breaks(lab -> lab.leaderStopped("kube-controller-manager", Duration.ofMinutes(2)))
                        .expect(code("NO_LEADER_CONTROLLER_MANAGER").severity(CRITICAL).evidence("holder_node", "cp-1")
                                .evidence("lease_duration_s", 15).evidence("lease_transitions", 2)
                                .says("last renewed 2m", "leaseDurationSeconds 15s", "on node cp-1",
                                        "nodes that stop reporting are not marked NotReady"))
                        .absent("NO_LEADER_SCHEDULER", "APISERVER_NOT_READY").build(),
                scenario("scheduler-lease-released", "the only kube-scheduler was stopped for maintenance 2 minutes "
                        + "ago: it released its Lease (empty holder) and nothing took it")
                        .breaks(lab -> lab.leaderReleased("kube-scheduler", Duration.ofMinutes(2)))
                        .expect(code("NO_LEADER_SCHEDULER").severity(CRITICAL).evidence("holder", "")
                                .evidence("lease_duration_s", 1).says("has no holder", "new pods stay Pending"))
                        .absent("NO_LEADER_CONTROLLER_MANAGER").build(),
                scenario("scheduler-lease-missing", "no Lease kube-system/kube-scheduler at all (404)")
                        .breaks(lab -> lab.leaseMissing("kube-scheduler"))
                        .expect(code("NO_LEADER_SCHEDULER").severity(WARNING).evidence("exists", false)
                                .says("there is no Lease kube-system/kube-scheduler", "--leader-elect=false"))
                        .absent("NO_LEADER_CONTROLLER_MANAGER").build(),
                scenario("leader-renewed-recently", "the scheduler's last renewal is 5 s old: within its 15 s lease")
                        .breaks(lab -> lab.leaderStopped("kube-scheduler", Duration.ofSeconds(5)))
                        .healthy().absent("NO_LEADER_SCHEDULER").build(),
                scenario("single-control-plane-node", "the cluster was built with kubeadm init and no control-plane "
                        + "joins: one node labelled control-plane, one API server address in default/kubernetes")
                        .breaks(ControlPlaneLab::singleControlPlane)
                        .expect(code("SINGLE_CONTROL_PLANE_NODE").severity(WARNING).evidence("control_plane_nodes", 1)
                                .evidence("node", "cp-1").evidence("apiserver_addresses", "10.0.0.11")
                                .says("only one control-plane node (cp-1", "three control-plane nodes"))
                        .absent("STATIC_POD_DOWN").build(),
                scenario("single-master-old-label", "a cluster built with kubeadm 1.19 and never relabelled: its one "
                        + "control-plane node carries only node-role.kubernetes.io/master")
                        .breaks(ControlPlaneLab::singleMasterOldLabel)
                        .expect(code("SINGLE_CONTROL_PLANE_NODE").severity(WARNING).evidence("node", "cp-1")
                                .evidence("label", "node-role.kubernetes.io/master"))
                        .absent("STATIC_POD_DOWN").build(),
                scenario("single-apiserver-unlabelled", "an installer that labels no control-plane node, and one API "
                        + "server: default/kubernetes lists one address")
                        .breaks(ControlPlaneLab::singleApiServerUnlabelled)
                        .expect(code("SINGLE_CONTROL_PLANE_NODE").severity(WARNING).evidence("control_plane_nodes", 0)
                                .evidence("apiserver_addresses", "10.0.0.11").says("lists one API server address"))
                        .absent("STATIC_POD_DOWN").build(),
                scenario("static-pod-crashloop", "a bad flag in kube-scheduler's manifest on cp-2: its container "
                        + "restarted 7 times and waits in CrashLoopBackOff; the schedulers on cp-1 and cp-3 are fine")
                        .breaks(lab -> lab.staticPodCrashLooping("kube-scheduler", "cp-2", 7))
                        .expect(code("STATIC_POD_DOWN").severity(WARNING).evidence("pod", "kube-scheduler-cp-2")
                                .evidence("node", "cp-2").evidence("waiting_reason", "CrashLoopBackOff")
                                .evidence("restarts", 7).evidence("ready_instances", 2)
                                .says("kube-system/kube-scheduler-cp-2", "CrashLoopBackOff", "last run ended Error exit 1",
                                        "crictl logs"))
                        .absent("SINGLE_CONTROL_PLANE_NODE", "NO_LEADER_SCHEDULER").build(),
                scenario("static-pod-missing", "kube-apiserver.yaml was moved out of /etc/kubernetes/manifests on cp-3 "
                        + "and not put back: no mirror pod kube-apiserver-cp-3")
                        .breaks(lab -> lab.staticPodMissing("kube-apiserver", "cp-3"))
                        .expect(code("STATIC_POD_DOWN").severity(WARNING).evidence("pod", "kube-apiserver-cp-3")
                                .evidence("mirror_pod", "missing").says("no kube-apiserver mirror pod on control-plane node cp-3",
                                        "/etc/kubernetes/manifests/kube-apiserver.yaml"))
                        .absent("SINGLE_CONTROL_PLANE_NODE").build(),
                scenario("controller-manager-down-everywhere", "an upgrade left a bad kube-controller-manager manifest on "
                        + "all three control-plane nodes: every instance crash-loops and the leader Lease stopped 2 minutes ago")
                        .breaks(lab -> {
                            for (String node : List.of("cp-1", "cp-2", "cp-3")) {
                                lab.staticPodCrashLooping("kube-controller-manager", node, 5);
                            }
                            lab.leaderStopped("kube-controller-manager", Duration.ofMinutes(2));
                        })
                        .expect(code("STATIC_POD_DOWN").severity(CRITICAL).evidence("pod", "kube-controller-manager-cp-1")
                                .evidence("ready_instances", 0).says("no kube-controller-manager is Ready on any of the 3"))
                        .expect(code("NO_LEADER_CONTROLLER_MANAGER").severity(CRITICAL))
                        .absent("NO_LEADER_SCHEDULER", "SINGLE_CONTROL_PLANE_NODE").build(),
                scenario("etcd-down", "the API server cannot reach etcd: [-]etcd in readyz and livez")
                        .breaks(ControlPlaneLab::etcdDown)
                        .expect(code("ETCD_UNHEALTHY").severity(CRITICAL)
                                .says("[-]etcd failed: reason withheld", "etcdctl endpoint health"))
                        .expect(code("APISERVER_NOT_READY").severity(CRITICAL).evidence("status", 500))
                        .expect(code("APISERVER_NOT_LIVE").severity(CRITICAL).evidence("status", 500)).build(),
                scenario("apiserver-not-ready", "informer-sync fails after a restart")
                        .breaks(lab -> lab.notReady("informer-sync"))
                        .expect(code("APISERVER_NOT_READY").severity(CRITICAL).says("[-]informer-sync failed"))
                        .absent("APISERVER_NOT_LIVE", "ETCD_UNHEALTHY", "CERT_EXPIRING", "CERT_EXPIRED").build(),
                scenario("cert-expiring-soon", "the serving certificate expires in 25 days")
                        .breaks(lab -> lab.certificate(-340, 365))
                        .expect(code("CERT_EXPIRING").severity(WARNING).says("kubeadm certs renew apiserver")).build(),
                scenario("cert-expiring", "the serving certificate expires in 5 days")
                        .breaks(lab -> lab.certificate(-360, 365))
                        .expect(code("CERT_EXPIRING").severity(CRITICAL)).build(),
                scenario("cert-expired", "the serving certificate expired 35 days ago")
                        .breaks(lab -> lab.certificate(-400, 365))
                        .expect(code("CERT_EXPIRED").severity(CRITICAL).evidence("subject", "CN=kube-apiserver"))
                        .absent("CERT_EXPIRING", "APISERVER_NOT_READY", "APISERVER_NOT_LIVE", "ETCD_UNHEALTHY").build());
    }

    private static Scenario.Builder<ControlPlaneLab> scenario(String id, String story) {
        return Scenario.<ControlPlaneLab>of(id, story).checks(CHECK).target(ControlPlaneLab::targetUri);
    }
}
