package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Global variables changed on one lab server and put back exactly: the values read before the change are restored
 * on {@link #close()} (once, whoever calls it first: the scenario or the lab's heal).
 */
final class GlobalSetting implements AutoCloseable {
    private final MariaDbReplicationLab lab;
    private final boolean replica;
    private final Map<String, String> previous;
    private final List<String> around;
    private final AtomicBoolean restored = new AtomicBoolean();

    private GlobalSetting(MariaDbReplicationLab lab, boolean replica, Map<String, String> previous, List<String> around) {
        this.lab = lab;
        this.replica = replica;
        this.previous = previous;
        this.around = around;
    }

    /** SET GLOBAL name = value for each pair, on the replica or the primary. */
    static GlobalSetting set(MariaDbReplicationLab lab, boolean replica, String... namesAndValues) {
        return setAround(lab, replica, List.of(), namesAndValues);
    }

    /**
     * The same, with the replica's slave threads stopped around the change (and around the restore): settings such as
     * slave_parallel_threads can only change while they are stopped.
     */
    static GlobalSetting setWithSlaveStopped(MariaDbReplicationLab lab, String... namesAndValues) {
        return setAround(lab, true, List.of("STOP SLAVE", "START SLAVE"), namesAndValues);
    }

    /** The same, with {@code around} = (statement before, statement after) run around the change and the restore. */
    static GlobalSetting setAround(MariaDbReplicationLab lab, boolean replica, List<String> around,
            String... namesAndValues) {
        Map<String, String> previous = new LinkedHashMap<>();
        try (Connection c = lab.adminConnection(replica)) {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                previous.put(namesAndValues[i], Jdbc.singleValue(c, "SELECT @@GLOBAL." + namesAndValues[i]));
            }
            GlobalSetting setting = lab.untilHeal(new GlobalSetting(lab, replica, previous, around));
            List<String> sql = new ArrayList<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                sql.add("SET GLOBAL " + namesAndValues[i] + " = " + literal(namesAndValues[i + 1]));
            }
            Jdbc.execute(c, wrap(around, sql));
            return setting;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set " + String.join(" ", namesAndValues) + " on the "
                    + (replica ? "replica" : "primary"), e);
        }
    }

    private static String[] wrap(List<String> around, List<String> sql) {
        List<String> all = new ArrayList<>();
        if (!around.isEmpty()) {
            all.add(around.get(0));
        }
        all.addAll(sql);
        if (!around.isEmpty()) {
            all.add(around.get(1));
        }
        return all.toArray(String[]::new);
    }

    /** Numbers go in bare (10.000000, 0, 4096), everything else quoted ('STATEMENT', 'REPEATABLE-READ'). */
    private static String literal(String value) {
        return value.matches("-?\\d+(\\.\\d+)?") ? value : "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        if (!restored.compareAndSet(false, true)) {
            return;
        }
        List<String> sql = new ArrayList<>();
        previous.forEach((name, value) -> sql.add("SET GLOBAL " + name + " = " + (value == null ? "DEFAULT" : literal(value))));
        try (Connection c = lab.adminConnection(replica)) {
            Jdbc.execute(c, wrap(around, sql));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot restore " + previous.keySet() + " on the "
                    + (replica ? "replica" : "primary"), e);
        }
    }
}
