package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The I/O behind mysql-galera's {@code peers} parameter: the wsrep identity of every other listed member, read at once
 * (at most {@link #PARALLEL} sessions, each bounded by the run's deadline) with the target's user and password. A peer
 * that cannot be read is recorded with its probe error: it reports for itself when the check runs on it.
 */
final class GaleraPeers {
    static final int PARALLEL = 4;
    static final List<String> STATUS = List.of("wsrep_cluster_status", "wsrep_cluster_state_uuid",
            "wsrep_cluster_conf_id", "wsrep_cluster_size", "wsrep_local_state_comment");

    private GaleraPeers() {
    }

    static List<Map<String, String>> read(CheckContext context, List<Target.HostPort> peers, String checkId)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, peers.size()), r -> {
            Thread t = new Thread(r, "opsdoc-mysql-galera-peer");
            t.setDaemon(true);
            return t;
        });
        List<Map<String, String>> out = new ArrayList<>();
        try {
            List<Future<Map<String, String>>> futures = new ArrayList<>();
            for (Target.HostPort hp : peers) {
                futures.add(pool.submit(() -> readPeer(context, hp, checkId)));
            }
            for (int i = 0; i < futures.size(); i++) {
                String endpoint = FailoverProbe.endpoint(peers.get(i));
                try {
                    out.add(futures.get(i).get(context.remainingMillis() + 500L, TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    out.add(unreadable(endpoint, ProbeErrors.TIMEOUT.code(), "no answer before the deadline"));
                } catch (ExecutionException e) {
                    out.add(unreadable(endpoint, ProbeErrors.PROBE_FAILED.code(),
                            "reading failed: " + e.getCause().getClass().getSimpleName()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static Map<String, String> readPeer(CheckContext context, Target.HostPort hp, String checkId) {
        Target t = context.target();
        String query = t.rawQuery().isEmpty() ? "" : "?" + t.rawQuery();
        Target peer = Target.parse("mysql://" + URLEncoder.encode(t.user().orElseThrow(), StandardCharsets.UTF_8)
                + "@" + hp + query);
        CheckContext own = new CheckContext(peer, context.password(), context.parameters(), context.deadline());
        String endpoint = FailoverProbe.endpoint(hp);
        try (Connection c = MysqlSession.open(own)) {
            return MysqlSession.translating(peer, checkId, () -> {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("endpoint", endpoint);
                row.putAll(MysqlSession.status(c, STATUS));
                return row;
            });
        } catch (ProbeException e) {
            return unreadable(endpoint, e.code().code(), e.getMessage());
        } catch (SQLException e) {
            ProbeException p = MysqlSession.probeError(e, peer, checkId);
            return p != null ? unreadable(endpoint, p.code().code(), p.getMessage())
                    : unreadable(endpoint, ProbeErrors.PROBE_FAILED.code(), "MySQL error " + e.getErrorCode()
                            + " (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    private static Map<String, String> unreadable(String endpoint, String code, String message) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("endpoint", endpoint);
        row.put("error_code", code);
        row.put("error", message == null ? "" : message);
        return row;
    }
}
