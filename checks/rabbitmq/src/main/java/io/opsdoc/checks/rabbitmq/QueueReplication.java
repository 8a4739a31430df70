package io.opsdoc.checks.rabbitmq;

import static io.opsdoc.checks.rabbitmq.ReplicationCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where do each queue's messages live, and are enough copies of them online? Quorum queues (Raft) need a majority
 * of their members; classic mirrored queues (a {@code ha-mode} policy, RabbitMQ 3.x only) need synchronised mirrors
 * to fail over without losing messages; a plain classic queue lives on one node however large the cluster.
 */
public final class QueueReplication extends ManagementCheck<ReplicationFacts> {
    public static final String ID = "rabbitmq-queue-replication";
    static final String NOTE = "rabbitmq/queues";
    static final String QUEUE_COLUMNS = "name,vhost,type,durable,auto_delete,exclusive,policy,node,state,members,"
            + "online,leader,slave_nodes,synchronised_slave_nodes";
    /** Names in a summary; the evidence lists every queue. */
    private static final int NAMED = 5;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expect-durable", ParameterType.STRING, ".*",
                    "regular expression over vhost/queue (the default vhost is '/name'): matching queues must be durable; "
                            + "exclusive and auto-delete queues are transient by design and never counted; empty turns it off"));

    public QueueReplication() {
        super(ID, "Are RabbitMQ queues replicated, their replicas online and in sync, and "
                + "durable where they must survive a restart?", ReplicationFacts.class, PARAMETERS,
                ReplicationCode.class, RabbitGrants.ALL);
    }



    @Override
    public void validate(Target target, io.opsdoc.core.Parameters parameters) {
        validate(target);
        durablePattern(parameters);
    }

    @Override
    public ReplicationFacts collect(CheckContext context) throws Exception {
        ManagementApi api = ManagementApi.open(context);
        Instant at = Instant.now();
        JsonNode overview = api.get("/api/overview?columns=node,rabbitmq_version,cluster_name");
        JsonNode nodes = api.get("/api/nodes?columns=name,running");
        // disable_stats: membership straight from the queues, not from the statistics database, which lags (and, with
        // enable_queue_totals, keeps a stale mirror list)
        JsonNode queues = api.get("/api/queues?disable_stats=true&columns=" + QUEUE_COLUMNS);
        JsonNode policies = api.get("/api/policies");
        return new ReplicationFacts(at, overview, nodes, queues, policies);
    }

    @Override
    public void evaluate(ReplicationFacts f, Parameters p, Evaluation.Builder out) {
        List<JsonNode> queues = Api.items(f.queues());
        int clusterSize = Api.items(f.nodes()).size();
        out.metric(Metric.of("queues", queues.size(), "queues"));
        Pattern durable = durablePattern(p);
        List<String> singleNode = new ArrayList<>();
        List<String> nonDurable = new ArrayList<>();
        for (JsonNode q : queues) {
            String name = Api.queueName(q);
            String type = Api.text(q, "type");
            if ("quorum".equals(type)) {
                quorum(q, name, out);
            } else if ("classic".equals(type) && q.has("slave_nodes")) {
                mirrored(q, name, out);
            } else if ("classic".equals(type) && clusterSize > 1 && Api.flag(q, "durable")
                    && !Api.flag(q, "exclusive") && !Api.flag(q, "auto_delete")) {
                singleNode.add(name + " (on " + Api.text(q, "node") + ")");
            }
            if (durable != null && !Api.flag(q, "durable") && !Api.flag(q, "exclusive") && !Api.flag(q, "auto_delete")
                    && durable.matcher(name).matches()) {
                nonDurable.add(name);
            }
        }
        if (!singleNode.isEmpty()) {
            out.finding(QUEUE_SINGLE_NODE, Severity.INFO, singleNode.size() + " durable classic queue(s) without mirrors "
                    + "in a " + clusterSize + "-node cluster keep their messages on one node: if it fails they are "
                    + "unavailable until it returns (" + Api.some(singleNode, NAMED) + "); quorum queues replicate",
                    Evidence.of("queues", singleNode, "cluster_nodes", clusterSize));
        }
        if (!nonDurable.isEmpty()) {
            out.finding(NON_DURABLE_QUEUE, Severity.WARNING, nonDurable.size() + " queue(s) are not durable: a broker "
                    + "restart deletes them with every message in them, even persistent ones: " + Api.some(nonDurable, NAMED),
                    Evidence.of("queues", nonDurable, "expect_durable", p.string("expect-durable")));
        }
        mirroringPolicies(f, out);
    }

    private static void quorum(JsonNode q, String name, Evaluation.Builder out) {
        List<String> members = Api.strings(q.get("members"));
        List<String> online = Api.strings(q.get("online"));
        if (members.isEmpty()) {
            return; // a queue whose leader cannot be reached reports no membership: nothing to judge on
        }
        List<String> offline = new ArrayList<>(members);
        offline.removeAll(online);
        int majority = members.size() / 2 + 1;
        Evidence e = Evidence.of("queue", name, "members", members, "online", online, "offline", offline,
                "majority", majority, "leader", Api.text(q, "leader"));
        if (online.size() < majority) {
            out.finding(QUORUM_QUEUE_MINORITY, Severity.CRITICAL, "quorum queue " + name + " has " + online.size()
                    + " of " + members.size() + " members online, fewer than the " + majority + " a majority needs: it "
                    + "cannot elect a leader and accepts no publishes and delivers nothing until members return (offline: "
                    + String.join(", ", offline) + ")", e, name);
        } else if (!offline.isEmpty()) {
            out.finding(QUORUM_MEMBER_DOWN, Severity.WARNING, "quorum queue " + name + " has " + online.size() + " of "
                    + members.size() + " members online (offline: " + String.join(", ", offline) + "): it still works, "
                    + "but losing " + (online.size() - majority + 1) + " more member(s) makes it unavailable", e, name);
        }
    }

    private static void mirrored(JsonNode q, String name, Evaluation.Builder out) {
        List<String> mirrors = Api.strings(q.get("slave_nodes"));
        List<String> synced = Api.strings(q.get("synchronised_slave_nodes"));
        List<String> unsynced = new ArrayList<>(mirrors);
        unsynced.removeAll(synced);
        if (unsynced.isEmpty()) {
            return;
        }
        out.finding(MIRROR_UNSYNCHRONISED, Severity.WARNING, "mirrored queue " + name + " (leader on "
                + Api.text(q, "node") + ") has " + unsynced.size() + " of " + mirrors.size() + " mirror(s) not "
                + "synchronised (" + String.join(", ", unsynced) + "): if the leader's node fails now, a promoted "
                + "unsynchronised mirror loses the messages it lacks" + (synced.isEmpty() ? ", and no mirror is in sync" : ""),
                Evidence.of("queue", name, "node", Api.text(q, "node"), "mirrors", mirrors, "synchronised", synced,
                        "unsynchronised", unsynced, "policy", Api.text(q, "policy")), name);
    }

    private static void mirroringPolicies(ReplicationFacts f, Evaluation.Builder out) {
        String version = Api.text(f.overview(), "rabbitmq_version");
        boolean removed = Api.major(version) >= 4;
        for (JsonNode policy : Api.items(f.policies())) {
            JsonNode def = policy.get("definition");
            if (def == null || !def.has("ha-mode")) {
                continue;
            }
            String name = ("/".equals(Api.text(policy, "vhost")) ? "" : Api.text(policy, "vhost")) + "/" + Api.text(policy, "name");
            Evidence e = Evidence.of("policy", name, "pattern", Api.text(policy, "pattern"), "ha-mode",
                    Api.text(def, "ha-mode"), "rabbitmq_version", version).putIfPresent("ha-params",
                    def.has("ha-params") ? def.get("ha-params").asText() : null);
            if (removed) {
                out.finding(MIRRORING_POLICY_UNSUPPORTED, Severity.WARNING, "policy " + name + " sets ha-mode, but "
                        + "RabbitMQ " + version + " has no classic mirroring: the queues it matches (pattern '"
                        + Api.text(policy, "pattern") + "') keep one copy only; declare them as quorum queues", e, name);
            } else {
                out.finding(MIRRORING_POLICY_UNSUPPORTED, Severity.INFO, "policy " + name + " mirrors classic queues "
                        + "(ha-mode " + Api.text(def, "ha-mode") + "): deprecated since 3.9 and removed in RabbitMQ 4.0, "
                        + "where it silently stops replicating; migrate those queues to quorum queues before upgrading", e, name);
            }
        }
    }

    private static Pattern durablePattern(Parameters p) {
        String regex = p.string("expect-durable");
        if (regex == null || regex.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("expect-durable is not a valid regular expression: " + e.getDescription());
        }
    }
}
