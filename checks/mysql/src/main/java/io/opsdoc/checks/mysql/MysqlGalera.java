package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.GaleraCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.List;
import java.util.Map;

/**
 * Is this Galera node (MariaDB Galera Cluster, Percona XtraDB Cluster) part of a healthy cluster? Reads the node's
 * wsrep status: the component it belongs to (Primary = has quorum), whether it accepts queries, its local state and
 * the cluster size it sees. Run it on every node: a node in a minority partition reports for itself.
 */
public final class MysqlGalera extends MysqlServerCheck {
    public static final String ID = "mysql-galera";
    static final String NOTE = "mysql/galera";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expected-size", ParameterType.INTEGER, "3",
                    "nodes the cluster should have; fewer in the Primary component is CLUSTER_SHRUNK"),
            window("flow control and certification failures"),
            new ParameterSpec("flow-control-warning", ParameterType.PERCENT, "10%",
                    "share of the window replication was paused by flow control at which to warn"),
            new ParameterSpec("cert-failures", ParameterType.INTEGER, "1",
                    "certification failures (wsrep_local_cert_failures) during the window at which to warn"),
            new ParameterSpec("recv-queue-warning", ParameterType.INTEGER, "100",
                    "write-sets waiting to be applied on this node (wsrep_local_recv_queue) at which to warn; on a "
                            + "node in state 2 (Donor/Desynced) for the whole window, a queue this long that does not "
                            + "shrink is DONOR_FALLING_BEHIND"),
            new ParameterSpec("peers", ParameterType.STRING, "",
                    "the cluster's other nodes as host[:port], comma-separated, read with the target's user and "
                            + "password; two Primary components among them and this node is SPLIT_VIEW (empty: "
                            + "this node only)"));

    private static final Reads READS = new Reads(List.of("wsrep_on", "wsrep_desync", "wsrep_cluster_name"),
            List.of("wsrep_cluster_status", "wsrep_cluster_size", "wsrep_local_state", "wsrep_local_state_comment",
                    "wsrep_ready", "wsrep_connected", "wsrep_cluster_conf_id", "wsrep_cluster_state_uuid", "wsrep_flow_control_paused",
                    "wsrep_local_recv_queue", "wsrep_local_recv_queue_avg", "wsrep_local_cert_failures",
                    "wsrep_flow_control_paused_ns", "wsrep_flow_control_sent", "wsrep_flow_control_recv",
                    "wsrep_local_bf_aborts", "wsrep_flow_control_requested", "wsrep_flow_control_active"),
            true, false);

    /** wsrep_local_state numbers as Galera documents them. */
    private static final Map<String, String> STATES = Map.of("1", "Joining", "2", "Donor/Desynced", "3", "Joined",
            "4", "Synced");

    public MysqlGalera() {
        super(ID, "Is this Galera node in a Primary component, Synced and ready, in a cluster of the expected size?",
                PARAMETERS, GaleraCode.class, MysqlGrants.loginOnly("the wsrep status variables"), READS);
    }

    @Override
    public MysqlFacts collect(CheckContext context) throws Exception {
        List<Target.HostPort> peers = FailoverProbe.hostPorts("peers", context.parameters().string("peers"));
        MysqlFacts own = super.collect(context);
        // read after this node's last sample: the views compared are seconds apart at most
        return peers.isEmpty() ? own : own.withPeers(GaleraPeers.read(context, peers, ID));
    }

    @Override
    protected void verify(MysqlFacts facts) throws ProbeException {
        String on = facts.variable("wsrep_on");
        if (!MysqlFacts.on(on) || !facts.status().containsKey("wsrep_cluster_status")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "this server is not a Galera node (wsrep_on="
                    + (on == null ? "absent" : on) + "): mysql-galera needs a MariaDB Galera or Percona XtraDB Cluster node");
        }
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        // states from the last sample: what the node shows now
        Map<String, String> s = facts.statusAfter() != null ? facts.statusAfter() : facts.status();
        String component = s.get("wsrep_cluster_status");
        Long size = MysqlFacts.number(s.get("wsrep_cluster_size"));
        String state = s.get("wsrep_local_state");
        String comment = s.getOrDefault("wsrep_local_state_comment", STATES.get(state));
        String ready = s.get("wsrep_ready");
        String connected = s.get("wsrep_connected");
        if (size != null) {
            out.metric(Metric.of("cluster_size", size, ""));
        }
        metric(out, s, "wsrep_flow_control_paused", "flow_control_paused_ratio");
        metric(out, s, "wsrep_local_recv_queue", "recv_queue");
        boolean primary = "Primary".equalsIgnoreCase(component);
        if (!primary) {
            out.finding(NON_PRIMARY_COMPONENT, Severity.CRITICAL, "this node is in a " + component + " component of "
                    + size + " node(s): it lost quorum (a majority of the last Primary component is gone or unreachable), "
                    + "so it refuses reads and writes with error 1047 until the cluster regains a Primary component",
                    Evidence.of("wsrep_cluster_status", component, "wsrep_cluster_size", size,
                            "wsrep_local_state_comment", comment));
        }
        if (!MysqlFacts.on(ready) || (connected != null && !MysqlFacts.on(connected))) {
            out.finding(NODE_NOT_READY, Severity.CRITICAL, "wsrep_ready=" + ready + (connected != null
                    ? ", wsrep_connected=" + connected : "") + ": this node does not accept queries (clients get 1047)",
                    Evidence.of("wsrep_ready", ready).putIfPresent("wsrep_connected", connected));
        }
        if (primary && !"4".equals(state)) {
            String desync = facts.variable("wsrep_desync");
            out.finding(NODE_NOT_SYNCED, Severity.WARNING, "wsrep_local_state=" + state + " (" + comment + "), not 4 "
                    + "(Synced): " + ("2".equals(state) ? "the node is a state-transfer donor or was desynced "
                    + "(wsrep_desync=" + desync + "); it may lag behind the cluster and should not take writes"
                    : "the node is still joining; it serves no consistent data yet"),
                    Evidence.of("wsrep_local_state", state, "wsrep_local_state_comment", comment)
                            .putIfPresent("wsrep_desync", desync));
        }
        long expected = p.integer("expected-size");
        if (primary && size != null && size < expected) {
            out.finding(CLUSTER_SHRUNK, Severity.WARNING, "the Primary component has " + size + " of " + expected
                    + " expected nodes: " + (expected - size) + " node(s) left the cluster" + (size % 2 == 0
                    ? "; with an even size one more failure or a network split leaves no majority" : ""),
                    Evidence.of("wsrep_cluster_size", size, "expected-size", expected, "wsrep_cluster_status", component));
        }
        GaleraWindow.evaluate(facts, s, p, out);
        GaleraViews.evaluate(facts, s, out);
    }

    private static void metric(Evaluation.Builder out, Map<String, String> s, String name, String metric) {
        try {
            String v = s.get(name);
            if (v != null) {
                out.metric(Metric.of(metric, Double.parseDouble(v), ""));
            }
        } catch (NumberFormatException e) {
            // not a number on this version: no metric
        }
    }
}
