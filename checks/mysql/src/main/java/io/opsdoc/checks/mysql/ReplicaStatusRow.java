package io.opsdoc.checks.mysql;

import java.util.Map;

/**
 * One row of SHOW REPLICA/SLAVE STATUS read by meaning rather than by column name: MySQL 8.0.22+ says
 * {@code Replica_IO_Running}, {@code Read_Source_Log_Pos}; MariaDB and older MySQL say {@code Slave_IO_Running},
 * {@code Read_Master_Log_Pos}. Evidence still quotes the column names the server actually used.
 */
final class ReplicaStatusRow {
    private final Map<String, String> raw;

    ReplicaStatusRow(Map<String, String> raw) {
        this.raw = raw;
    }

    /** The column name this server used for a field, e.g. {@code Slave_SQL_Running}. */
    String name(String modern, String legacy) {
        return raw.containsKey(modern) ? modern : legacy;
    }

    String value(String modern, String legacy) {
        return raw.containsKey(modern) ? raw.get(modern) : raw.get(legacy);
    }

    /** The column exists in this row (its value may still be NULL). */
    boolean has(String modern, String legacy) {
        return raw.containsKey(modern) || raw.containsKey(legacy);
    }

    String channel() {
        String mariadb = raw.get("Connection_name");
        String mysql = raw.get("Channel_Name");
        String c = mariadb != null ? mariadb : mysql;
        return c == null ? "" : c;
    }

    String ioRunningColumn() {
        return name("Replica_IO_Running", "Slave_IO_Running");
    }

    String ioRunning() {
        return value("Replica_IO_Running", "Slave_IO_Running");
    }

    String sqlRunningColumn() {
        return name("Replica_SQL_Running", "Slave_SQL_Running");
    }

    String sqlRunning() {
        return value("Replica_SQL_Running", "Slave_SQL_Running");
    }

    String secondsBehindColumn() {
        return name("Seconds_Behind_Source", "Seconds_Behind_Master");
    }

    Long secondsBehind() {
        return number(value("Seconds_Behind_Source", "Seconds_Behind_Master"));
    }

    String readFileColumn() {
        return name("Source_Log_File", "Master_Log_File");
    }

    String readFile() {
        return value("Source_Log_File", "Master_Log_File");
    }

    String readPosColumn() {
        return name("Read_Source_Log_Pos", "Read_Master_Log_Pos");
    }

    Long readPos() {
        return number(value("Read_Source_Log_Pos", "Read_Master_Log_Pos"));
    }

    String execFileColumn() {
        return name("Relay_Source_Log_File", "Relay_Master_Log_File");
    }

    String execFile() {
        return value("Relay_Source_Log_File", "Relay_Master_Log_File");
    }

    String execPosColumn() {
        return name("Exec_Source_Log_Pos", "Exec_Master_Log_Pos");
    }

    Long execPos() {
        return number(value("Exec_Source_Log_Pos", "Exec_Master_Log_Pos"));
    }

    String sourceHost() {
        return value("Source_Host", "Master_Host") + ":" + value("Source_Port", "Master_Port");
    }

    long lastIoErrno() {
        Long n = number(raw.get("Last_IO_Errno"));
        return n == null ? 0 : n;
    }

    String lastIoError() {
        return raw.get("Last_IO_Error");
    }

    long lastSqlErrno() {
        Long n = number(raw.get("Last_SQL_Errno"));
        return n == null ? 0 : n;
    }

    String lastSqlError() {
        return raw.get("Last_SQL_Error");
    }

    long sqlDelay() {
        Long n = number(raw.get("SQL_Delay"));
        return n == null ? 0 : n;
    }

    String sqlRemainingDelay() {
        return raw.get("SQL_Remaining_Delay");
    }

    /** MariaDB: {@code Using_Gtid} is No, Slave_Pos or Current_Pos. */
    String usingGtid() {
        return raw.get("Using_Gtid");
    }

    /** MySQL: {@code Auto_Position} is 1 when the channel uses GTID auto-positioning. */
    String autoPosition() {
        return raw.get("Auto_Position");
    }

    private static Long number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
