package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A read-only JDBC session bounded by the check's deadline, shared by the MySQL checks.
 *
 * <p>Both {@code connectTimeout} and {@code socketTimeout} are set to the time left, because a server that accepts
 * the TCP connection and never sends its greeting blocks in a read, not in connect. No statement timeout is used:
 * Connector/J implements it with a second connection that sends KILL QUERY, which a monitoring user may not be
 * allowed to do and which is not read-only.
 */
final class MysqlSession {
    static final int DEFAULT_PORT = 3306;
    /** Connection options a target may pass through ({@code ?sslMode=REQUIRED}); anything else is refused. */
    private static final Set<String> PASS_THROUGH = Set.of("sslMode", "allowPublicKeyRetrieval", "serverSslCert",
            "trustCertificateKeyStoreUrl", "tlsVersions");

    private MysqlSession() {
    }

    static void validate(Target target) {
        if (target.user().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no user; write mysql://USER@host:port "
                    + "(and give the password with --password-env, --password-file or OPSDOC_PASSWORD)");
        }
        for (String key : target.query().keySet()) {
            if (!PASS_THROUGH.contains(key)) {
                throw new UsageException("target option '" + key + "' is not supported; supported: " + String.join(", ", PASS_THROUGH));
            }
        }
    }

    static Connection open(CheckContext context) throws SQLException, ProbeException {
        Target target = context.target();
        Target.HostPort hp = target.host();
        String host = hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host();
        int timeout = context.remainingMillis();
        Properties props = new Properties();
        props.setProperty("user", target.user().orElseThrow());
        context.password().ifPresent(p -> props.setProperty("password", p.reveal()));
        props.setProperty("connectTimeout", Integer.toString(timeout));
        props.setProperty("socketTimeout", Integer.toString(timeout));
        props.setProperty("connectionAttributes", "program_name:opsdoc");
        props.setProperty("sslMode", "PREFERRED");
        props.setProperty("allowLoadLocalInfile", "false");
        props.setProperty("autoReconnect", "false");
        target.query().forEach(props::setProperty);
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:mysql://" + host + ":" + hp.portOr(DEFAULT_PORT) + "/", props);
        } catch (SQLException e) {
            throw connectFailure(e, target);
        }
        try {
            c.setReadOnly(true);
        } catch (SQLException e) {
            c.close();
            throw translate(e, target);
        }
        return c;
    }

    /**
     * A connection from the context's pool, with its socket timeout set to this run's time left (a kept connection
     * was opened under an earlier deadline). A kept one is pinged first: a restarted server or a dropped idle
     * connection must cost a reconnect, not a false UNKNOWN.
     */
    static ClientPool.Lease<Connection> lease(CheckContext context) throws Exception {
        for (int attempt = 0; ; attempt++) {
            ClientPool.Lease<Connection> lease = context.clients().lease("mysql", context, () -> open(context), Connection::close);
            Connection c = lease.client();
            try {
                if (lease.reused()) {
                    c.setNetworkTimeout(Runnable::run, context.remainingMillis());
                    if (!c.isValid(Math.max(1, context.remainingMillis() / 1000))) {
                        throw new SQLException("kept connection no longer valid");
                    }
                }
                return lease;
            } catch (SQLException e) {
                lease.broken();
                lease.close();
                if (attempt > 0) {
                    throw translate(e, context.target());
                }
            }
        }
    }

    /** Runs a JDBC step, turning the SQL errors an operator can act on into precise reasons. */
    static <T> T translating(Target target, SqlStep<T> step) throws SQLException, ProbeException {
        return translating(target, MysqlReplication.ID, step);
    }

    /** The same, naming {@code checkId} in the hint of a missing privilege ("run 'opsdoc grants CHECK'"). */
    static <T> T translating(Target target, String checkId, SqlStep<T> step) throws SQLException, ProbeException {
        try {
            return step.run();
        } catch (SQLException e) {
            throw translate(e, target, checkId);
        }
    }

    /** The same, and a connection that failed is not given back to the pool. */
    static <T> T translating(ClientPool.Lease<Connection> lease, Target target, SqlStep<T> step) throws SQLException, ProbeException {
        return translating(lease, target, MysqlReplication.ID, step);
    }

    static <T> T translating(ClientPool.Lease<Connection> lease, Target target, String checkId, SqlStep<T> step)
            throws SQLException, ProbeException {
        try {
            return translating(target, checkId, step);
        } catch (SQLException | ProbeException | RuntimeException e) {
            lease.broken();
            throw e;
        }
    }

    @FunctionalInterface
    interface SqlStep<T> {
        T run() throws SQLException, ProbeException;
    }

    /**
     * Why the connection could not be opened: an error number with a meaning, a network reason, or (no error number,
     * no network reason, a connection-class SQLSTATE) a first packet the driver could not parse as a MySQL greeting.
     */
    static ProbeException connectFailure(SQLException e, Target target) throws SQLException {
        ProbeException p = probeError(e, target, MysqlReplication.ID);
        if (p != null) {
            return p;
        }
        String where = target.host().host() + ":" + target.host().portOr(DEFAULT_PORT);
        FailureClassifier.Failure network = FailureClassifier.network(e, where, target.host().host());
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), e);
        }
        String m = String.valueOf(e.getMessage());
        boolean tlsOrKeys = m.contains("SSL") || m.contains("TLS") || m.contains("Public Key");
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // 08: connection exception; S1000: the driver's own "general error", e.g. a first packet claiming 13 MB
        if (e.getErrorCode() == 0 && (state.startsWith("08") || state.startsWith("S1")) && !tlsOrKeys) {
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered, but not with a MySQL server "
                    + "greeting the driver could parse: is this a MySQL port?", e);
        }
        throw e;
    }

    private static ProbeException translate(SQLException e, Target target) throws SQLException {
        return translate(e, target, MysqlReplication.ID);
    }

    private static ProbeException translate(SQLException e, Target target, String checkId) throws SQLException {
        ProbeException p = probeError(e, target, checkId);
        if (p == null) {
            throw e;
        }
        return p;
    }

    /** Error numbers that have a precise meaning for an operator become {@link ProbeException}s; null for the rest. */
    static ProbeException probeError(SQLException e, Target target) {
        return probeError(e, target, MysqlReplication.ID);
    }

    static ProbeException probeError(SQLException e, Target target, String checkId) {
        String user = target.user().orElse("?");
        return switch (e.getErrorCode()) {
            case 1045 -> new ProbeException(ProbeErrors.AUTH_FAILED, "access denied for user '" + user + "' at "
                    + target.host() + " (MySQL error 1045): wrong password, or no account for this user from this host", e);
            case 1044, 1142, 1143, 1227, 1370 -> new ProbeException(ProbeErrors.PERMISSION_DENIED, "user '" + user
                    + "' lacks a privilege (MySQL error " + e.getErrorCode() + ": " + firstLine(e) + "); run 'opsdoc grants "
                    + checkId + "' for what it needs", e);
            case 1040 -> new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " refused the connection: too many connections (MySQL error 1040)", e);
            case 1129 -> new ProbeException(ProbeErrors.UNREACHABLE, target.host() + " blocks this host after too many connection errors (MySQL error 1129; FLUSH HOSTS on the server)", e);
            default -> null;
        };
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Every row as column label to value, in server order, NULL kept. */
    static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Global variables by name; names the server does not have are simply absent. */
    static Map<String, String> variables(Connection c, List<String> names) throws SQLException {
        String in = String.join(",", names.stream().map(n -> "'" + n + "'").toList());
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + in + ")")) {
            out.put(row.get("Variable_name"), row.get("Value"));
        }
        return out;
    }

    /** Global status counters by name ({@code SHOW GLOBAL STATUS}); names the server does not have are absent. */
    static Map<String, String> status(Connection c, List<String> names) throws SQLException {
        String in = String.join(",", names.stream().map(n -> "'" + n + "'").toList());
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows(c, "SHOW GLOBAL STATUS WHERE Variable_name IN (" + in + ")")) {
            out.put(row.get("Variable_name"), row.get("Value"));
        }
        return out;
    }
}
