package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connection pressure on the lab's primary: a lowered max_connections filled by held connections, refused logins,
 * many threads running at once, and wrong passwords. Every fault is a handle that puts max_connections back exactly
 * and kills exactly the connections it opened; the lab's heal() does the same if a scenario did not.
 */
public final class ConnectionFaults {
    /** Low enough to fill with a handful of connections; MariaDB's minimum is 10. */
    static final int MAX_CONNECTIONS = 10;

    private ConnectionFaults() {
    }

    /** max_connections=10 with 8 connections in use before the check connects: the check sees 9 of 10. */
    public static AutoCloseable nearMax(MariaDbReplicationLab lab) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        try {
            undo.add(GlobalSetting.set(lab, false, "max_connections", Integer.toString(MAX_CONNECTIONS)));
            HeldConnections held = undo.add(new HeldConnections(lab, false));
            Connection poller = undo.add(lab.adminConnection(false));
            fill(held, poller, MAX_CONNECTIONS - 2);
            return undo;
        } catch (SQLException | RuntimeException e) {
            undo.close();
            throw e;
        }
    }

    /**
     * The server is full and turns clients away while the check watches. MariaDB admits max_connections ordinary
     * logins plus one for an account with SUPER/CONNECTION ADMIN; only an attempt beyond that is refused at accept
     * time and counted in Connection_errors_max_connections (a refusal at login is counted in Aborted_connects only).
     * So: connections fill all but two slots, the check takes one, the fault then fills the ordinary slots that are
     * left and the admin takes the extra one, and a client keeps trying to get in every 100 ms. Leaving two slots, not
     * one, keeps the check's own login safe from one stray connection (a replica I/O thread reconnecting) that a
     * clean-clone run once saw take the single free slot first.
     */
    public static AutoCloseable refusing(MariaDbReplicationLab lab) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        try {
            undo.add(GlobalSetting.set(lab, false, "max_connections", Integer.toString(MAX_CONNECTIONS)));
            HeldConnections held = undo.add(new HeldConnections(lab, false));
            Connection poller = undo.add(lab.adminConnection(false));
            // the replica's I/O thread may be reconnecting after the scenario before (which filled the server): let it
            // in first, so it is counted below and cannot take the last slot meant for the check
            awaitProcesses(poller, "COMMAND LIKE 'Binlog Dump%'", Duration.ofSeconds(10));
            fill(held, poller, MAX_CONNECTIONS - 2);
            // connection ids only grow: the check is a login of the monitoring user after this one. The check of the
            // scenario before, same user, may still be in the processlist while the server closes it, and taking it
            // for this check filled the last slots before this check could log in
            long before = maxProcessId(poller);
            AtomicReference<Connection> extra = new AtomicReference<>();
            undo.add(() -> {
                Connection c = extra.get();
                if (c != null) {
                    c.close();
                }
            });
            undo.add(BackgroundLoad.attempts("refused-logins", Duration.ofMillis(100), () -> {
                if (extra.get() == null) {
                    // wait for the check itself to be in, fill what is left of the ordinary slots, then take the
                    // admin's extra one: from then on every ordinary login is refused
                    if (processes(poller, "USER = '" + lab.noPrivilegeUser() + "' AND ID > " + before) > 0) {
                        fill(held, poller, MAX_CONNECTIONS);
                        extra.set(lab.adminConnection(false));
                    }
                    return;
                }
                try (Connection c = Jdbc.connect(LabUsers.HOST, lab.primaryPort(), lab.noPrivilegeUser(),
                        lab.noPrivilegePassword())) {
                    // admitted: the check has left; nothing to hold
                }
            }));
            return undo;
        } catch (SQLException | RuntimeException e) {
            undo.close();
            throw e;
        }
    }

    /** max_connections=10 with 6 connections each running SELECT SLEEP(600): Threads_running 7 or more of 10. */
    public static AutoCloseable manyRunning(MariaDbReplicationLab lab) throws SQLException {
        Undo undo = lab.untilHeal(new Undo());
        try {
            undo.add(GlobalSetting.set(lab, false, "max_connections", Integer.toString(MAX_CONNECTIONS)));
            HeldConnections held = undo.add(new HeldConnections(lab, false));
            for (int i = 0; i < 6; i++) {
                held.openBusy("SELECT SLEEP(600)");
            }
            ServerStatus.await(lab, false, "Threads_running >= 7", s -> ServerStatus.number(s, "Threads_running") >= 7,
                    "Threads_running");
            return undo;
        } catch (SQLException | RuntimeException e) {
            undo.close();
            throw e;
        }
    }

    /** A client logs in with a wrong password every 100 ms (error 1045), counted in Aborted_connects. */
    public static AutoCloseable wrongPasswords(MariaDbReplicationLab lab) {
        long before = ServerStatus.counter(lab, false, "Aborted_connects");
        BackgroundLoad load = lab.untilHeal(BackgroundLoad.attempts("wrong-password", Duration.ofMillis(100), () -> {
            try (Connection c = Jdbc.connect(LabUsers.HOST, lab.primaryPort(), lab.noPrivilegeUser(), "not-the-password")) {
                throw new IllegalStateException("a wrong password was accepted");
            }
        }));
        ServerStatus.awaitGrowth(lab, false, "Aborted_connects", before, 2);
        return load;
    }

    /** Opens idle connections until Threads_connected (the poller's own included) reaches {@code connected}. */
    /** Connections in the process list matching {@code where} (the admin poller sees every user's). */
    private static int processes(Connection poller, String where) throws SQLException {
        try (java.sql.Statement st = poller.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE " + where)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static long maxProcessId(Connection poller) throws SQLException {
        try (java.sql.Statement st = poller.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT MAX(ID) FROM information_schema.PROCESSLIST")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Waits up to {@code atMost} for a matching connection; goes on without one (the fault then only risks a retry). */
    private static void awaitProcesses(Connection poller, String where, Duration atMost) {
        try {
            org.awaitility.Awaitility.await(where).atMost(atMost).pollInterval(Duration.ofMillis(100))
                    .until(() -> processes(poller, where) > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // not connected within the time: fill() counts what is there
        }
    }

    private static void fill(HeldConnections held, Connection poller, int connected) throws SQLException {
        for (int guard = 0; ServerStatus.counter(poller, "Threads_connected") < connected; guard++) {
            if (guard > MAX_CONNECTIONS) {
                throw new IllegalStateException("Threads_connected does not reach " + connected + " after " + guard
                        + " more connections");
            }
            held.openIdle();
        }
    }
}
