package io.opsdoc.checks.kafka;

import io.opsdoc.core.GrantSet;
import java.util.ArrayList;
import java.util.List;

/** The Kafka ACLs the checks need, as kafka-acls.sh command lines (read-only operations only). */
final class KafkaGrants {
    static final String PRINCIPAL = "User:opsdoc";
    private static final String ACLS = "kafka-acls.sh --bootstrap-server BROKER:9092 --command-config admin.properties"
            + " --add --allow-principal " + PRINCIPAL;

    private KafkaGrants() {
    }

    static GrantSet of(String why, boolean clusterDescribe, boolean clusterConfigs, boolean topics, boolean topicConfigs,
            boolean groups) {
        List<String> lines = new ArrayList<>();
        List<String> clusterOps = new ArrayList<>();
        if (clusterDescribe) {
            clusterOps.add("--operation Describe");
        }
        if (clusterConfigs) {
            clusterOps.add("--operation DescribeConfigs");
        }
        if (!clusterOps.isEmpty()) {
            lines.add(ACLS + " " + String.join(" ", clusterOps) + " --cluster");
        }
        if (topics || topicConfigs) {
            lines.add(ACLS + (topics ? " --operation Describe" : "") + (topicConfigs ? " --operation DescribeConfigs" : "")
                    + " --topic '*'");
        }
        if (groups) {
            lines.add(ACLS + " --operation Describe --group '*'");
        }
        return new GrantSet("Kafka with an authorizer (KRaft StandardAuthorizer; ZooKeeper-era AclAuthorizer alike)",
                lines, why + " Replace '*' with --resource-pattern-type prefixed names to narrow it; without an"
                        + " authorizer no ACL is needed.");
    }
}
