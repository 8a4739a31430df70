package io.opsdoc.lab.mysql;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.INFO;
import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.util.List;

/**
 * The server-level MySQL checks on the same MariaDB pair: connections, slow queries, durability, replication
 * configuration, binlog cache, isolation, throughput and semi-sync. Checks that read only SHOW GLOBAL STATUS/VARIABLES
 * run as the lab's user without any privilege (what their grants print); those that read the replica status run as
 * 'monitor' (SLAVE MONITOR only).
 */
final class ServerScenarios {
    private ServerScenarios() {
    }

    static List<Scenario<MariaDbReplicationLab>> all() {
        return List.of(
                // mysql-connections
                loginOnly("connections-healthy", "the primary serves a few clients, far below max_connections",
                        "mysql-connections").healthy()
                        .metrics("threads_connected", "connections_used_percent", "connections_refused_per_second").build(),
                loginOnly("connections-near-max", "max_connections was lowered to 10 and 8 connections are held open",
                        "mysql-connections").holds(ConnectionFaults::nearMax)
                        .expect(code("CONNECTIONS_NEAR_MAX").severity(WARNING).evidence("max_connections", 10))
                        .absent("CONNECTIONS_REFUSED", "THREADS_RUNNING_HIGH").build(),
                loginOnly("connections-refused", "every slot is taken and a client keeps getting 'Too many connections'",
                        "mysql-connections").holds(ConnectionFaults::refusing)
                        .expect(code("CONNECTIONS_REFUSED").severity(CRITICAL)
                                .positive("Connection_errors_max_connections_delta"))
                        .expect(code("CONNECTIONS_NEAR_MAX").severity(CRITICAL)).build(),
                loginOnly("threads-running-high", "six clients each run a 10-minute query on a server of 10 connections",
                        "mysql-connections").holds(ConnectionFaults::manyRunning)
                        .expect(code("THREADS_RUNNING_HIGH").severity(WARNING)).absent("CONNECTIONS_REFUSED").build(),
                loginOnly("aborted-connects", "a client retries a wrong password every 100 ms", "mysql-connections")
                        .holds(ConnectionFaults::wrongPasswords)
                        .expect(code("ABORTED_CONNECTS").severity(WARNING).positive("Aborted_connects_delta"))
                        .absent("CONNECTIONS_REFUSED", "CONNECTIONS_NEAR_MAX").build(),
                // mysql-slow-queries
                loginOnly("slow-queries-quiet", "no slow queries; the slow log is off (the MariaDB default)",
                        "mysql-slow-queries").healthy().metrics("slow_queries_per_second")
                        .expect(code("SLOW_LOG_DISABLED").severity(INFO)).absent("SLOW_QUERIES_INCREASING").build(),
                loginOnly("slow-queries-unlogged", "a client runs SELECT SLEEP(0.2) over a 0.1 s long_query_time, slow log off",
                        "mysql-slow-queries").holds(ServerFaults::slowQueries)
                        .expect(code("SLOW_QUERIES_INCREASING").severity(WARNING).positive("Slow_queries_delta"))
                        .expect(code("SLOW_LOG_DISABLED").severity(WARNING).says("nothing records")).build(),
                loginOnly("slow-queries-logged", "the same slow queries with slow_query_log ON", "mysql-slow-queries")
                        .holds(ServerFaults::slowQueriesLogged)
                        .expect(code("SLOW_QUERIES_INCREASING").severity(WARNING)).absent("SLOW_LOG_DISABLED").build(),
                loginOnly("long-query-time-high", "someone set long_query_time to 60 s", "mysql-slow-queries")
                        .holds(lab -> ServerFaults.primary(lab, "long_query_time", "60"))
                        .expect(code("LONG_QUERY_TIME_HIGH").severity(WARNING).evidence("long_query_time", "60.000000"))
                        .build(),
                // mysql-durability
                monitor("durability-source-durable", "the source flushes redo and binlog at every commit (1/1)",
                        "mysql-durability", false)
                        .holds(lab -> ServerFaults.primary(lab, "innodb_flush_log_at_trx_commit", "1", "sync_binlog", "1"))
                        .healthy().absent("REDO_FLUSH_NOT_DURABLE", "BINLOG_SYNC_NOT_DURABLE").build(),
                monitor("durability-source-relaxed", "the source runs the notes' speed advice: 2 and sync_binlog=0",
                        "mysql-durability", false)
                        .holds(lab -> ServerFaults.primary(lab, "innodb_flush_log_at_trx_commit", "2", "sync_binlog", "0"))
                        .expect(code("REDO_FLUSH_NOT_DURABLE").severity(WARNING)
                                .evidence("innodb_flush_log_at_trx_commit", "2").says("~1 s", "OS crash"))
                        .expect(code("BINLOG_SYNC_NOT_DURABLE").severity(WARNING).evidence("sync_binlog", "0")
                                .says("MariaDB's default", "diverge")).build(),
                monitor("durability-replica-relaxed", "a rebuildable replica runs 2 and sync_binlog=0",
                        "mysql-durability", true)
                        .holds(lab -> ServerFaults.replica(lab, "innodb_flush_log_at_trx_commit", "2", "sync_binlog", "0"))
                        .healthy().expect(code("REDO_FLUSH_NOT_DURABLE").severity(INFO).says("before promoting"))
                        .expect(code("BINLOG_SYNC_NOT_DURABLE").severity(INFO)).build(),
                Scenario.<MariaDbReplicationLab>of("durability-without-privilege",
                                "the monitoring user lacks SLAVE MONITOR, which the role detection needs")
                        .checks("mysql-durability").target(ServerScenarios::noPrivilegeOnPrimary)
                        .password(MariaDbReplicationLab::noPrivilegePassword)
                        .expect(code("PERMISSION_DENIED").severity(UNKNOWN).says("opsdoc grants mysql-durability")).build(),
                // mysql-replication-config
                monitor("config-replica-default", "a healthy replica with MariaDB's default single applier thread",
                        "mysql-replication-config", true).healthy()
                        .expect(code("SINGLE_THREADED_APPLIER").severity(INFO).evidence("slave_parallel_threads", 0))
                        .absent("DUPLICATE_SERVER_ID", "REPLICA_WRITABLE", "GTID_DISABLED").build(),
                monitor("config-parallel-applier", "the replica applies with 4 parallel threads",
                        "mysql-replication-config", true).holds(lab -> ServerFaults.parallelApplier(lab, 4))
                        .healthy().absent("SINGLE_THREADED_APPLIER").build(),
                monitor("config-server-id-clash", "the replica was cloned with its source's server_id",
                        "mysql-replication-config", true).holds(ServerFaults::serverIdClash)
                        .expect(code("DUPLICATE_SERVER_ID").severity(CRITICAL).evidence("Last_IO_Errno", 1593)).build(),
                monitor("config-replica-writable", "someone turned read_only OFF on the replica",
                        "mysql-replication-config", true).breaks(MariaDbReplicationLab::replicaWritable)
                        .expect(code("REPLICA_WRITABLE").severity(WARNING).evidence("read_only", "OFF")).build(),
                monitor("config-position-based", "the replica follows its source by file and position",
                        "mysql-replication-config", true).breaks(MariaDbReplicationLab::positionBasedReplication)
                        .healthy().expect(code("GTID_DISABLED").severity(INFO).evidence("Using_Gtid", "No")).build(),
                monitor("config-source-healthy", "the source writes a row-based binlog", "mysql-replication-config", false)
                        .healthy().absent("SOURCE_BINLOG_DISABLED", "BINLOG_FORMAT_STATEMENT", "GTID_DISABLED").build(),
                monitor("config-binlog-statement", "someone set binlog_format=STATEMENT on the source",
                        "mysql-replication-config", false)
                        .holds(lab -> ServerFaults.primary(lab, "binlog_format", "STATEMENT"))
                        .expect(code("BINLOG_FORMAT_STATEMENT").severity(WARNING).evidence("binlog_format", "STATEMENT"))
                        .build(),
                // mysql-binlog-cache
                loginOnly("binlog-cache-fits", "16 kB transactions under the default 32 kB binlog_cache_size",
                        "mysql-binlog-cache").holds(lab -> ServerFaults.bigTransactions(lab, false)).healthy()
                        .metrics("binlog_cache_disk_use_percent").absent("BINLOG_CACHE_SPILLS_TO_DISK").build(),
                loginOnly("binlog-cache-spills", "the same transactions after binlog_cache_size was cut to 4096",
                        "mysql-binlog-cache").holds(lab -> ServerFaults.bigTransactions(lab, true))
                        .expect(code("BINLOG_CACHE_SPILLS_TO_DISK").severity(WARNING).evidence("binlog_cache_size", 4096)
                                .positive("Binlog_cache_disk_use_delta")).build(),
                // mysql-isolation
                loginOnly("isolation-default", "sessions get InnoDB's default REPEATABLE-READ", "mysql-isolation")
                        .healthy().absent("NON_DEFAULT_ISOLATION", "DIRTY_READS_POSSIBLE").build(),
                loginOnly("isolation-read-committed", "the server default was changed to READ-COMMITTED", "mysql-isolation")
                        .holds(lab -> ServerFaults.primary(lab, "transaction_isolation", "READ-COMMITTED")).healthy()
                        .expect(code("NON_DEFAULT_ISOLATION").severity(INFO)
                                .evidence("transaction_isolation", "READ-COMMITTED"))
                        .absent("DIRTY_READS_POSSIBLE").build(),
                loginOnly("isolation-read-committed-expected", "READ-COMMITTED, which the applications were written for",
                        "mysql-isolation").param("expected-isolation", "READ COMMITTED")
                        .holds(lab -> ServerFaults.primary(lab, "transaction_isolation", "READ-COMMITTED")).healthy()
                        .absent("NON_DEFAULT_ISOLATION", "DIRTY_READS_POSSIBLE").build(),
                loginOnly("isolation-read-uncommitted", "the server default was changed to READ-UNCOMMITTED",
                        "mysql-isolation")
                        .holds(lab -> ServerFaults.primary(lab, "transaction_isolation", "READ-UNCOMMITTED"))
                        .expect(code("DIRTY_READS_POSSIBLE").severity(WARNING)).build(),
                // mysql-throughput
                loginOnly("throughput-idle", "an idle primary: rates measured, no baseline given", "mysql-throughput")
                        .healthy().metrics("queries_per_second", "transactions_per_second").build(),
                loginOnly("throughput-within-baseline", "clients query and commit, well under the stated baselines",
                        "mysql-throughput").holds(ServerFaults::busy).param("qps-baseline", "1000000")
                        .param("tps-baseline", "1000000").healthy().metrics("read_share_percent")
                        .absent("QPS_ABOVE_BASELINE", "TPS_ABOVE_BASELINE").build(),
                loginOnly("throughput-above-baseline", "the same clients against baselines of 20 QPS and 5 TPS",
                        "mysql-throughput").holds(ServerFaults::busy).param("qps-baseline", "20")
                        .param("tps-baseline", "5")
                        .expect(code("QPS_ABOVE_BASELINE").severity(INFO).positive("Questions_delta"))
                        .expect(code("TPS_ABOVE_BASELINE").severity(INFO).positive("Com_commit_plus_rollback_delta"))
                        .build(),
                // mysql-semisync
                loginOnly("semisync-off", "semi-sync is not enabled: plain asynchronous replication", "mysql-semisync")
                        .healthy().absent("SEMISYNC_DEGRADED_TO_ASYNC", "SEMISYNC_NO_ACK_CLIENTS").build(),
                loginOnly("semisync-acknowledged", "semi-sync on source and replica, the replica acknowledging",
                        "mysql-semisync").holds(SemisyncFaults::acknowledged).healthy().metrics("semisync_ack_clients")
                        .absent("SEMISYNC_DEGRADED_TO_ASYNC", "SEMISYNC_NO_ACK_CLIENTS").build(),
                loginOnly("semisync-no-replica", "the semi-sync replica's I/O thread was stopped", "mysql-semisync")
                        .holds(SemisyncFaults::noReplicaConnected)
                        .expect(code("SEMISYNC_NO_ACK_CLIENTS").severity(WARNING)
                                .evidence("Rpl_semi_sync_master_clients", 0))
                        .absent("SEMISYNC_DEGRADED_TO_ASYNC").build(),
                loginOnly("semisync-fell-back", "with no replica acknowledging, a commit waited out the timeout",
                        "mysql-semisync").holds(SemisyncFaults::fellBackToAsync)
                        .expect(code("SEMISYNC_DEGRADED_TO_ASYNC").severity(CRITICAL)
                                .evidence("Rpl_semi_sync_master_status", "OFF").positive("Rpl_semi_sync_master_no_tx"))
                        .expect(code("SEMISYNC_NO_ACK_CLIENTS").severity(WARNING)).build());
    }

    /** A check that needs no privilege, on the primary, as the lab user without any grant. */
    private static Scenario.Builder<MariaDbReplicationLab> loginOnly(String id, String story, String check) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(check).target(ServerScenarios::noPrivilegeOnPrimary)
                .password(MariaDbReplicationLab::noPrivilegePassword);
    }

    /** A check that reads the replica status, as 'monitor' (SLAVE MONITOR), on the replica or the primary. */
    private static Scenario.Builder<MariaDbReplicationLab> monitor(String id, String story, String check, boolean replica) {
        return Scenario.<MariaDbReplicationLab>of(id, story).checks(check)
                .target(replica ? MariaDbReplicationLab::replicaUri : MariaDbReplicationLab::primaryUri)
                .password(MariaDbReplicationLab::monitorPassword);
    }

    private static String noPrivilegeOnPrimary(MariaDbReplicationLab lab) {
        return "mysql://" + lab.noPrivilegeUser() + "@" + lab.host() + ":" + lab.primaryPort();
    }
}
