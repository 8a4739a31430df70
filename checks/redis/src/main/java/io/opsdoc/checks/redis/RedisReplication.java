package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.ReplicationCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replication, from whichever side the target is: on a replica the link to its master; on a master (or a replica
 * with replicas of its own) each replica's offset and acknowledgement, full resyncs and the backlog.
 */
public final class RedisReplication extends RedisCheck {
    public static final String ID = "redis-replication";
    static final String NOTE = "redis/replication";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("window", ParameterType.DURATION, "2s",
                    "time between the two INFO samples (full resyncs, write rate for the backlog); shortened to fit --timeout "
                            + "when needed"),
            new ParameterSpec("expect-replicas", ParameterType.INTEGER, "0",
                    "on a master: how many online replicas it should have"),
            new ParameterSpec("lag-bytes", ParameterType.BYTES, "1MiB", "replication offset gap worth a warning"),
            new ParameterSpec("lag-seconds", ParameterType.DURATION, "10s",
                    "time since a replica's last acknowledgement (replicas acknowledge every second)"),
            new ParameterSpec("backlog-seconds", ParameterType.DURATION, "60s",
                    "how long a replica may be disconnected and still resume with a partial resync"));

    private static final List<GrantSet> GRANTS = acl("INFO and CONFIG GET only read; CLIENT SETNAME names the probe's "
            + "connection.", "info", "config|get", "client|setname");

    public RedisReplication() {
        super(ID, "Is Redis replication connected, caught up and able to resume after a disconnect?",
                PARAMETERS, ReplicationCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(true, 0, false, false, false, false,
                List.of("repl-backlog-size", "replica-read-only", "min-replicas-to-write")),
                context.parameters().duration("window"));
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        Rules.windowMetric(f, p, out);
        Map<String, String> now = Rules.latest(f);
        if ("slave".equals(now.get("role"))) {
            replicaSide(now, out);
        }
        masterSide(f, now, p, out);
    }

    private static void replicaSide(Map<String, String> i, Evaluation.Builder out) {
        String master = i.get("master_host") + ":" + i.get("master_port");
        if ("1".equals(i.get("master_sync_in_progress"))) {
            long total = Info.longValue(i, "master_sync_total_bytes", -1);
            long read = Info.longValue(i, "master_sync_read_bytes", 0);
            out.finding(SYNC_IN_PROGRESS, Severity.WARNING, "a full synchronisation from " + master + " is in progress ("
                    + Info.bytes(read) + (total > 0 ? " of " + Info.bytes(total) : "") + " received): the replica serves "
                    + "the old data, or blocks while it loads the new copy",
                    Evidence.of("master_sync_in_progress", 1, "master_link_status", i.get("master_link_status"),
                            "master", master).putIfPresent("master_sync_total_bytes", i.get("master_sync_total_bytes"))
                            .putIfPresent("master_sync_read_bytes", i.get("master_sync_read_bytes"))
                            .putIfPresent("master_sync_last_io_seconds_ago", i.get("master_sync_last_io_seconds_ago")));
        } else if ("down".equals(i.get("master_link_status"))) {
            out.finding(LINK_DOWN, Severity.CRITICAL, "the replica is not connected to its master " + master
                    + (i.containsKey("master_link_down_since_seconds") ? " (down for " + i.get("master_link_down_since_seconds")
                    + " s)" : "") + ": it receives no writes and serves data that gets older by the second",
                    Evidence.of("master_link_status", "down", "master", master)
                            .putIfPresent("master_link_down_since_seconds", i.get("master_link_down_since_seconds"))
                            .putIfPresent("master_last_io_seconds_ago", i.get("master_last_io_seconds_ago")));
        }
        if ("0".equals(i.get("slave_read_only"))) {
            out.finding(REPLICA_WRITABLE, Severity.WARNING, "the replica accepts writes (replica-read-only no): they are "
                    + "never sent to the master and vanish at the next full resync",
                    Evidence.of("slave_read_only", 0, "master", master));
        }
    }

    private static void masterSide(RedisFacts f, Map<String, String> i, Parameters p, Evaluation.Builder out) {
        long connected = Info.longValue(i, "connected_slaves", 0);
        long offset = Info.longValue(i, "master_repl_offset", 0);
        List<String> notOnline = new ArrayList<>();
        int online = 0;
        for (int n = 0; n < connected; n++) {
            String raw = i.get("slave" + n);
            if (raw == null) {
                continue;
            }
            Map<String, String> r = Info.fields(raw);
            String who = r.get("ip") + ":" + r.get("port");
            if (!"online".equals(r.get("state"))) {
                notOnline.add(who + " " + r.get("state"));
                continue;
            }
            online++;
            long gap = offset - Info.fieldLong(raw, "offset", offset);
            long lag = Info.fieldLong(raw, "lag", 0);
            out.metric(new Metric("replica_offset_lag_bytes", gap, "B", Map.of("replica", who), (double) p.bytes("lag-bytes"), null));
            if (gap > p.bytes("lag-bytes") || lag > p.duration("lag-seconds").toSeconds()) {
                out.finding(REPLICA_LAGGING, Severity.WARNING, "replica " + who + " is " + Info.bytes(gap)
                        + " behind and last acknowledged " + lag + " s ago (thresholds " + Info.bytes(p.bytes("lag-bytes"))
                        + ", " + p.duration("lag-seconds").toSeconds() + " s): a failover to it now loses those writes",
                        Evidence.of("replica", who, "offset_gap_bytes", gap, "lag_s", lag, "master_repl_offset", offset,
                                "replica_offset", Info.fieldLong(raw, "offset", 0)), who);
            }
        }
        long expected = p.integer("expect-replicas");
        if (online < expected) {
            out.finding(MISSING_REPLICAS, Severity.CRITICAL, "this master has " + online + " online replica(s), "
                    + expected + " expected" + (notOnline.isEmpty() ? "" : "; not online: " + String.join(", ", notOnline)),
                    Evidence.of("online_replicas", online, "connected_slaves", connected, "expected", expected,
                            "role", i.get("role")).putIfPresent("not_online", String.join(", ", notOnline)));
        }
        Long full = Info.delta(f.info(), f.infoAfter(), "sync_full");
        if (full != null && full > 0) {
            out.finding(FULL_SYNCS, Severity.WARNING, full + " full resynchronisation(s) during the " + f.windowMillis()
                    + " ms sample: each forks a snapshot and sends the whole data set; a replica that keeps needing one "
                    + "is reconnecting in a loop",
                    Evidence.of("sync_full_in_window", full, "window_ms", f.windowMillis(),
                            "sync_partial_err_in_window", Info.delta(f.info(), f.infoAfter(), "sync_partial_err"),
                            "sync_partial_ok_in_window", Info.delta(f.info(), f.infoAfter(), "sync_partial_ok"),
                            "sync_full_total", Info.longValue(i, "sync_full", 0)));
        }
        Long written = Info.delta(f.info(), f.infoAfter(), "master_repl_offset");
        long backlog = Info.longValue(i, "repl_backlog_size", 0);
        if (written != null && written > 0 && f.windowMillis() != null && f.windowMillis() > 0 && backlog > 0
                && (connected > 0 || "1".equals(i.get("repl_backlog_active")))) {
            double perSecond = written * 1000.0 / f.windowMillis();
            double covers = backlog / perSecond;
            long wanted = p.duration("backlog-seconds").toSeconds();
            if (covers < wanted) {
                out.finding(BACKLOG_TOO_SMALL, Severity.WARNING, "the replication backlog (" + Info.bytes(backlog)
                        + ") holds " + Rules.round1(covers) + " s of writes at the current " + Info.bytes(perSecond)
                        + "/s: a replica disconnected longer than that needs a full resync (wanted " + wanted + " s)",
                        Evidence.of("repl_backlog_size", backlog, "write_bytes_per_second", Math.round(perSecond),
                                "backlog_covers_s", Rules.round1(covers), "wanted_s", wanted,
                                "suggested_repl_backlog_size", Math.round(perSecond * wanted)));
            }
        }
    }
}
