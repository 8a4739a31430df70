package io.opsdoc.checks.mysql;

import io.opsdoc.core.GrantSet;
import java.util.List;

/** What the monitoring user needs, per flavour, for the two kinds of MySQL check. */
final class MysqlGrants {
    private static final String USER = "'monitor'@'%'";
    private static final String CREATE = "CREATE USER " + USER + " IDENTIFIED BY '<password>';";

    private MysqlGrants() {
    }

    /** SHOW REPLICA/SLAVE STATUS (plus variables and status, which need nothing). */
    static List<GrantSet> replicaStatus() {
        return List.of(
                with("REPLICATION CLIENT", "MySQL 8.0, 8.4 and 5.7",
                        "SHOW REPLICA STATUS needs REPLICATION CLIENT; SHOW GLOBAL VARIABLES/STATUS need none."),
                with("SLAVE MONITOR", "MariaDB 10.5.9 and later (10.6, 10.11, 11.x)",
                        "SLAVE MONITOR (alias REPLICA MONITOR) is exactly SHOW [ALL] SLAVES STATUS; "
                                + "REPLICATION CLIENT is not enough on these versions."),
                with("REPLICATION SLAVE ADMIN", "MariaDB 10.5.0 to 10.5.8",
                        "these releases put SHOW SLAVE STATUS under REPLICATION SLAVE ADMIN (which can also stop and "
                                + "start replication); upgrade to 10.5.9+ to monitor with SLAVE MONITOR only."),
                with("REPLICATION CLIENT", "MariaDB 10.4 and earlier", "SHOW SLAVE STATUS needs REPLICATION CLIENT."));
    }

    /** The source and every replica of mysql-failover-readiness, with the same user and password on all. */
    static List<GrantSet> failoverReadiness() {
        String onAll = "on the source and every replica, with the same password: ";
        return List.of(
                with("REPLICATION CLIENT", "MySQL 8.0, 8.4 and 5.7", onAll + "SHOW REPLICA STATUS on the replicas and, "
                        + "when GTID is off, SHOW BINARY LOG STATUS / SHOW MASTER STATUS on the source need REPLICATION "
                        + "CLIENT; @@gtid_executed, log_bin and log_replica_updates need none."),
                with("SLAVE MONITOR", "MariaDB 10.5.9 and later (10.6, 10.11, 11.x)", onAll + "SHOW ALL SLAVES STATUS "
                        + "on the replicas needs SLAVE MONITOR; on the source the account alone is enough "
                        + "(@@gtid_binlog_pos is a variable), the grant there is harmless."),
                with("REPLICATION SLAVE ADMIN", "MariaDB 10.5.0 to 10.5.8", onAll + "these releases put SHOW SLAVE "
                        + "STATUS under REPLICATION SLAVE ADMIN; upgrade to 10.5.9+ to monitor with SLAVE MONITOR only."),
                with("REPLICATION CLIENT", "MariaDB 10.4 and earlier", onAll + "SHOW SLAVE STATUS needs REPLICATION CLIENT."),
                new GrantSet("MHA manager host (only with --set mha-conf=FILE)", List.of(
                        "# no database privilege: the MHA tools use the accounts of the MHA configuration file",
                        "# run as the user that runs masterha_manager, or one in its group: masterha_check_status "
                                + "reads the configuration file and opens <manager_workdir>/<app>.master_status.health "
                                + "read-write (it locks it), so the group needs r on the file and rw on that status file",
                        "# over ssh://: that user's key, unencrypted (?identity=FILE) or in an ssh-agent; the "
                                + "database password is never offered to the manager host"),
                        "masterha_check_status only reads the manager's status file and pid. masterha_check_repl "
                                + "(--set mha-check-repl=true) logs in to every database with the file's MHA account "
                                + "and over SSH to every node, and creates remote_workdir and a test file there: "
                                + "enable it where that is acceptable."));
    }

    /** SHOW GLOBAL STATUS and SHOW GLOBAL VARIABLES only: any account that can log in may run them. */
    static List<GrantSet> loginOnly(String reads) {
        String why = "no GRANT at all: " + reads + " come from SHOW GLOBAL STATUS / SHOW GLOBAL VARIABLES, which every "
                + "account may run (USAGE).";
        return List.of(new GrantSet("MySQL 5.7, 8.0, 8.4", List.of(CREATE), why),
                new GrantSet("MariaDB 10.x, 11.x", List.of(CREATE), why));
    }

    private static GrantSet with(String privilege, String flavor, String why) {
        return new GrantSet(flavor, List.of(CREATE, "GRANT " + privilege + " ON *.* TO " + USER + ";"), why);
    }
}
