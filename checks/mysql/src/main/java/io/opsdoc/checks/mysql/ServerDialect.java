package io.opsdoc.checks.mysql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which replica-status statement a server speaks. MySQL renamed SLAVE to REPLICA in 8.0.22 and removed the old
 * form in 8.4; MariaDB kept SLAVE (with REPLICA as a synonym, columns still {@code Slave_*}) and adds multi-source
 * connections, which only {@code SHOW ALL SLAVES STATUS} lists together.
 */
public enum ServerDialect {
    MYSQL_REPLICA("SHOW REPLICA STATUS"),
    MYSQL_SLAVE("SHOW SLAVE STATUS"),
    MARIADB("SHOW ALL SLAVES STATUS");

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");
    private final String statusStatement;

    ServerDialect(String statusStatement) {
        this.statusStatement = statusStatement;
    }

    public String statusStatement() {
        return statusStatement;
    }

    /** @param version the text of {@code SELECT VERSION()}, e.g. {@code 8.4.3}, {@code 11.4.5-MariaDB-log} */
    public static ServerDialect of(String version) {
        if (version.toLowerCase(Locale.ROOT).contains("mariadb")) {
            return MARIADB;
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return MYSQL_REPLICA; // unknown future versions speak the current syntax
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        boolean replicaSyntax = major > 8 || (major == 8 && (minor > 0 || patch >= 22));
        return replicaSyntax ? MYSQL_REPLICA : MYSQL_SLAVE;
    }
}
