package io.opsdoc.checks.mysql;

import java.util.List;
import java.util.Map;

/**
 * What {@code mysql-replication} reads from a server, unchanged: one raw row per replication channel
 * (column name to value, NULL kept as null) and the few global variables it judges.
 *
 * @param serverVersion   {@code SELECT VERSION()}
 * @param statusStatement the statement that produced {@code channels}
 * @param channels        rows of the replica status statement; empty when the server is not a replica
 * @param variables       {@code read_only}, {@code super_read_only} (MySQL only), {@code gtid_mode}, ...
 */
public record ReplicationFacts(String serverVersion, String statusStatement, List<Map<String, String>> channels,
        Map<String, String> variables) {
}
