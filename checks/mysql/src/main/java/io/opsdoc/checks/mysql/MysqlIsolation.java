package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.IsolationCode.*;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.List;
import java.util.Locale;

/**
 * Which isolation level do new sessions get? The server-wide default is what every client gets unless it asks for
 * another; READ-UNCOMMITTED lets transactions read changes that may still roll back.
 */
public final class MysqlIsolation extends MysqlServerCheck {
    public static final String ID = "mysql-isolation";
    static final String NOTE = "mysql/isolation";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("expected-isolation", ParameterType.STRING, "REPEATABLE-READ",
                    "the level the applications were written for: READ-UNCOMMITTED, READ-COMMITTED, REPEATABLE-READ or "
                            + "SERIALIZABLE (InnoDB's default is REPEATABLE-READ)"));

    /** transaction_isolation: MySQL 5.7.20+ and MariaDB 11.1+; tx_isolation before (and removed in MySQL 8.0). */
    private static final Reads READS = new Reads(List.of("transaction_isolation", "tx_isolation"), List.of(), false, false);

    public MysqlIsolation() {
        super(ID, "Which transaction isolation level do sessions on this MySQL/MariaDB server get by default?",
                PARAMETERS, IsolationCode.class, MysqlGrants.loginOnly("the isolation level"), READS);
    }

    @Override
    public void evaluate(MysqlFacts facts, Parameters p, Evaluation.Builder out) {
        String name = facts.variableName("transaction_isolation", "tx_isolation");
        if (name == null) {
            return;
        }
        String level = normalize(facts.variables().get(name));
        String expected = normalize(p.string("expected-isolation"));
        if ("READ-UNCOMMITTED".equals(level)) {
            out.finding(DIRTY_READS_POSSIBLE, Severity.WARNING, name + "=READ-UNCOMMITTED: sessions read rows other "
                    + "transactions have not committed and may still roll back (dirty reads); reports and decisions can "
                    + "rest on data that never existed", Evidence.of(name, level, "expected-isolation", expected));
        }
        if (!level.equals(expected)) {
            out.finding(NON_DEFAULT_ISOLATION, Severity.INFO, name + "=" + level + " but " + expected + " is expected: "
                    + "applications that rely on " + expected + " see different anomalies (set expected-isolation if "
                    + "this level is intended)", Evidence.of(name, level, "expected-isolation", expected));
        }
    }

    static String normalize(String level) {
        return level == null ? "" : level.trim().toUpperCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
    }
}
