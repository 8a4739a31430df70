package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The I/O of mysql-failover-readiness: the source through the pooled session, then every replica at once (at most
 * {@link #PARALLEL} sessions), each bounded by the run's deadline. A replica that cannot be read is recorded with its
 * probe error rather than failing the run: the others can still be compared.
 */
final class FailoverProbe {
    static final int PARALLEL = 4;
    static final List<String> VARIABLES = List.of("server_id", "server_uuid", "log_bin", "log_slave_updates",
            "log_replica_updates", "gtid_mode", "gtid_executed", "gtid_binlog_pos", "gtid_slave_pos",
            "gtid_current_pos", "gtid_binlog_state", "read_only");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private FailoverProbe() {
    }

    /** host[:port] entries of the {@code replicas} parameter; a bad entry is the operator's error. */
    static List<Target.HostPort> replicas(String parameter) {
        return hostPorts("replicas", parameter);
    }

    /** host[:port] entries of a list parameter ({@code replicas}, mysql-galera's {@code peers}). */
    static List<Target.HostPort> hostPorts(String name, String parameter) {
        List<Target.HostPort> out = new ArrayList<>();
        for (String entry : parameter.split("[,\\s]+")) {
            if (entry.isBlank()) {
                continue;
            }
            Target t;
            try {
                t = Target.parse("mysql://" + entry.trim());
            } catch (UsageException e) {
                throw new UsageException(name + ": '" + entry + "' is not host[:port]");
            }
            if (t.hosts().size() != 1 || t.user().isPresent() || !t.path().isEmpty() || !t.query().isEmpty()) {
                throw new UsageException(name + ": '" + entry + "' is not host[:port] (they are read with the "
                        + "target's user, password and options)");
            }
            out.add(t.host());
        }
        return out;
    }

    static FailoverFacts collect(CheckContext context, String checkId) throws Exception {
        List<Target.HostPort> replicas = replicas(context.parameters().string("replicas"));
        FailoverFacts.Server source;
        try (ClientPool.Lease<Connection> lease = MysqlSession.lease(context)) {
            source = MysqlSession.translating(lease, context.target(), checkId,
                    () -> read(lease.client(), endpoint(context.target().host()), false));
        }
        List<FailoverFacts.Server> read = new ArrayList<>();
        if (replicas.isEmpty()) {
            return new FailoverFacts(source, read, MhaProbe.collect(context));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, replicas.size()), r -> {
            Thread t = new Thread(r, "opsdoc-mysql-failover-replica");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FailoverFacts.Server>> futures = new ArrayList<>();
            for (Target.HostPort hp : replicas) {
                futures.add(pool.submit(() -> readReplica(context, hp, checkId)));
            }
            for (int i = 0; i < futures.size(); i++) {
                read.add(await(futures.get(i), context, endpoint(replicas.get(i))));
            }
        } finally {
            pool.shutdownNow();
        }
        return new FailoverFacts(source, read, MhaProbe.collect(context));
    }

    private static FailoverFacts.Server await(Future<FailoverFacts.Server> f, CheckContext context, String endpoint)
            throws InterruptedException {
        try {
            // the session's own socket timeout ends a stuck read; this bound only guards against a lost thread
            return f.get(context.remainingMillis() + 500L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return FailoverFacts.Server.unreadable(endpoint, ProbeErrors.TIMEOUT.code(),
                    "no answer from " + endpoint + " before the deadline");
        } catch (ExecutionException e) {
            return FailoverFacts.Server.unreadable(endpoint, ProbeErrors.PROBE_FAILED.code(),
                    "reading " + endpoint + " failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    private static FailoverFacts.Server readReplica(CheckContext context, Target.HostPort hp, String checkId) {
        Target t = context.target();
        String query = t.rawQuery().isEmpty() ? "" : "?" + t.rawQuery();
        Target replica = Target.parse("mysql://" + URLEncoder.encode(t.user().orElseThrow(), StandardCharsets.UTF_8)
                + "@" + hp + query);
        CheckContext own = new CheckContext(replica, context.password(), context.parameters(), context.deadline());
        String endpoint = endpoint(hp);
        try (Connection c = MysqlSession.open(own)) {
            return MysqlSession.translating(replica, checkId, () -> read(c, endpoint, true));
        } catch (ProbeException e) {
            return FailoverFacts.Server.unreadable(endpoint, e.code().code(), e.getMessage());
        } catch (SQLException e) {
            ProbeException p = MysqlSession.probeError(e, replica, checkId);
            return p != null ? FailoverFacts.Server.unreadable(endpoint, p.code().code(), p.getMessage())
                    : FailoverFacts.Server.unreadable(endpoint, ProbeErrors.PROBE_FAILED.code(),
                            "reading " + endpoint + " failed with MySQL error " + e.getErrorCode()
                                    + " (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    private static FailoverFacts.Server read(Connection c, String endpoint, boolean replica) throws SQLException {
        String version = MysqlSession.scalar(c, "SELECT VERSION()");
        String v = version == null ? "" : version;
        Map<String, String> variables = MysqlSession.variables(c, VARIABLES);
        String statement = null;
        List<Map<String, String>> channels = List.of();
        if (replica) {
            statement = ServerDialect.of(v).statusStatement();
            channels = MysqlSession.rows(c, statement);
        }
        Map<String, String> binlog = Map.of();
        boolean mariadb = v.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
        if (!replica && !mariadb && !"ON".equalsIgnoreCase(variables.get("gtid_mode"))) {
            List<Map<String, String>> rows = MysqlSession.rows(c, binlogStatusStatement(v));
            binlog = rows.isEmpty() ? Map.of() : rows.get(0);
        }
        return new FailoverFacts.Server(endpoint, version, variables, statement, channels, binlog, null, null);
    }

    /** SHOW MASTER STATUS was renamed SHOW BINARY LOG STATUS in MySQL 8.2 and removed in 8.4. */
    static String binlogStatusStatement(String version) {
        Matcher m = VERSION.matcher(version);
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major > 8 || (major == 8 && minor >= 2)) {
                return "SHOW BINARY LOG STATUS";
            }
        }
        return "SHOW MASTER STATUS";
    }

    static String endpoint(Target.HostPort hp) {
        return new Target.HostPort(hp.host(), hp.portOr(MysqlSession.DEFAULT_PORT)).toString();
    }
}
