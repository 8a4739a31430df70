package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** SHOW GLOBAL STATUS on a lab server, read as the admin, and waits until it shows a fault. */
final class ServerStatus {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private ServerStatus() {
    }

    static Map<String, String> read(Connection c, String... names) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        String in = String.join(",", List.of(names).stream().map(n -> "'" + n + "'").toList());
        for (String name : names) {
            out.put(name, null);
        }
        try (var s = c.createStatement(); var rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN (" + in + ")")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    static long counter(Connection c, String name) throws SQLException {
        String v = read(c, name).get(name);
        return v == null ? -1 : Long.parseLong(v);
    }

    static long counter(MariaDbReplicationLab lab, boolean replica, String name) {
        try (Connection c = lab.adminConnection(replica)) {
            return counter(c, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** Polls the named counters (on a fresh admin connection) until {@code shows} holds; throws with the last values. */
    static void await(MariaDbReplicationLab lab, boolean replica, String expectation,
            Predicate<Map<String, String>> shows, String... names) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        try (Connection c = lab.adminConnection(replica)) {
            Awaitility.await(expectation).atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).pollInSameThread()
                    .until(() -> {
                        last.set(read(c, names));
                        return shows.test(last.get());
                    });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read SHOW GLOBAL STATUS while waiting for " + expectation, e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException((replica ? "replica" : "primary") + " did not show " + expectation
                    + " within " + DEADLINE.toSeconds() + " s; last: " + last.get(), e);
        }
    }

    /** Waits until counter {@code name} has grown by at least {@code by} from {@code from}. */
    static void awaitGrowth(MariaDbReplicationLab lab, boolean replica, String name, long from, long by) {
        await(lab, replica, name + " grown by " + by, s -> s.get(name) != null && Long.parseLong(s.get(name)) >= from + by,
                name);
    }

    static long number(Map<String, String> status, String name) {
        String v = status.get(name);
        return v == null ? -1 : Long.parseLong(v);
    }
}
