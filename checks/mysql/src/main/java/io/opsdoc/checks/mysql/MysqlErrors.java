package io.opsdoc.checks.mysql;

import java.util.Map;

/** What the replication error numbers an on-call engineer meets most often mean, in a few words. */
final class MysqlErrors {
    private static final Map<Long, String> IO = Map.of(
            1045L, "the source rejected the replication user's credentials (password changed or wrong)",
            2003L, "cannot connect to the source (down, firewalled, or wrong host/port)",
            2005L, "the source host name does not resolve",
            2026L, "TLS connection to the source failed",
            1236L, "the source cannot send the binlog position the replica needs (purged binlogs or a diverged position)",
            13114L, "the source cannot send the binlog position the replica needs (purged binlogs or a diverged position)",
            1593L, "fatal replication configuration error (for example equal server_id or server_uuid on source and replica)");

    private static final Map<Long, String> SQL = Map.of(
            1062L, "duplicate key: the row the source inserted already exists on the replica",
            1032L, "row not found: the row the source changed is missing or different on the replica",
            1146L, "table does not exist on the replica",
            1050L, "table already exists on the replica",
            1051L, "unknown table on the replica",
            1396L, "user operation failed (the account already exists or is missing on the replica)",
            1007L, "database already exists on the replica",
            1008L, "database does not exist on the replica",
            1677L, "column type differs between source and replica",
            1205L, "lock wait timeout on the replica: something on the replica held locks the applier needed");

    private MysqlErrors() {
    }

    static String ioCause(long errno) {
        return IO.getOrDefault(errno, "see Last_IO_Error");
    }

    static String sqlCause(long errno) {
        return SQL.getOrDefault(errno, "see Last_SQL_Error");
    }

    /** 1062/1032/1146/...: the replica's data no longer matches the source's, usually from writes made on the replica. */
    static boolean isDivergence(long errno) {
        return errno == 1062 || errno == 1032 || errno == 1146 || errno == 1050 || errno == 1051 || errno == 1396
                || errno == 1007 || errno == 1008;
    }
}
