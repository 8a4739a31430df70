package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.SamplingWindow;
import io.opsdoc.core.Target;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The shape every server-level MySQL check shares: one read-only session, a few global variables and status counters,
 * optionally a second status sample after a window (rates) and the replica status rows (role). Each subclass declares
 * what it reads and implements only {@code evaluate}.
 */
abstract class MysqlServerCheck extends DescribedCheck<MysqlFacts> {

    /**
     * What a check reads. Names of every dialect may be listed together (rpl_semi_sync_master_* and _source_*):
     * the server answers those it has.
     *
     * @param replicaStatus read the replica status statement too (needs the replication monitoring privilege)
     */
    record Reads(List<String> variables, List<String> status, boolean window, boolean replicaStatus) {
    }

    static ParameterSpec window(String what) {
        return new ParameterSpec("window", ParameterType.DURATION, "2s",
                "time between the two SHOW GLOBAL STATUS samples (" + what + "); shortened to fit --timeout when needed");
    }

    static ParameterSpec role() {
        return new ParameterSpec("role", ParameterType.STRING, "auto",
                "auto, source or replica: auto treats a server with a replica status row as a replica, any other as a source");
    }

    /** The role the rules apply to: the operator's word, else replica when the server replicates from a source. */
    static boolean judgedAsReplica(MysqlFacts facts, Parameters p) {
        String role = p.string("role").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (role) {
            case "replica" -> true;
            case "source" -> false;
            default -> facts.replicating();
        };
    }

    private final Reads reads;

    protected <E extends Enum<E> & CheckCode> MysqlServerCheck(String id, String title, List<ParameterSpec> parameters,
            Class<E> codes, List<GrantSet> grants, Reads reads) {
        super(id, "mysql", title, MysqlFacts.class, parameters, codes, grants);
        this.reads = reads;
    }

    @Override
    public void validate(Target target) {
        MysqlSession.validate(target);
    }

    @Override
    public MysqlFacts collect(CheckContext context) throws Exception {
        Target target = context.target();
        try (ClientPool.Lease<Connection> lease = MysqlSession.lease(context)) {
            Connection c = lease.client();
            return MysqlSession.translating(lease, target, id(), () -> {
                String version = MysqlSession.scalar(c, "SELECT VERSION()");
                ServerDialect dialect = ServerDialect.of(version == null ? "" : version);
                Map<String, String> variables = reads.variables().isEmpty() ? Map.of()
                        : MysqlSession.variables(c, reads.variables());
                String statement = reads.replicaStatus() ? dialect.statusStatement() : null;
                List<Map<String, String>> channels = reads.replicaStatus() ? MysqlSession.rows(c, statement) : List.of();
                Map<String, String> status = reads.status().isEmpty() ? Map.of() : MysqlSession.status(c, reads.status());
                if (!reads.window()) {
                    return verified(new MysqlFacts(version, variables, status, null, null, statement, channels));
                }
                // fitted after connecting (SamplingWindow); the facts keep the window actually measured
                Duration fitted = SamplingWindow.fit(context.parameters().duration("window"), context.remaining());
                if (fitted.isZero()) {
                    throw new ProbeException(ProbeErrors.TIMEOUT, "no time left to sample a window before the deadline");
                }
                long t0 = System.nanoTime();
                sleep(fitted);
                Map<String, String> after = MysqlSession.status(c, reads.status());
                long measured = (System.nanoTime() - t0) / 1_000_000;
                return verified(new MysqlFacts(version, variables, status, after, measured, statement, channels));
            });
        }
    }

    private MysqlFacts verified(MysqlFacts facts) throws ProbeException {
        verify(facts);
        return facts;
    }

    /**
     * Refuses facts this check cannot judge at all (a Galera check on a server without wsrep) with a probe error, so
     * the report is UNKNOWN with a reason instead of a silent OK.
     */
    protected void verify(MysqlFacts facts) throws ProbeException {
    }

    private static void sleep(Duration d) throws ProbeException {
        try {
            Thread.sleep(d.toMillis()); // the window itself: nothing to await, the counters move on their own
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException(ProbeErrors.TIMEOUT, "interrupted while sampling the window");
        }
    }
}
