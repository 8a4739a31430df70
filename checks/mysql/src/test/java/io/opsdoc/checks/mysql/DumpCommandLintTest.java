package io.opsdoc.checks.mysql;

import static io.opsdoc.checks.mysql.ShowOutput.codes;
import static io.opsdoc.checks.mysql.ShowOutput.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mysql-backup-freshness's lint of the dump command line: the forms a crontab really holds, and the password that
 * such a line often carries never reaching a finding.
 */
class DumpCommandLintTest {
    private static final BackupFacts NO_FILES = new BackupFacts("/data/backup/*.sql.gz", 0L, List.of(), 0, null);

    private static Evaluation lint(String commandLine) {
        MysqlBackupFreshness check = new MysqlBackupFreshness();
        return Evaluation.of(check, "local:", NO_FILES,
                Parameters.resolve(check.id(), check.parameters(), Map.of("dump-command", commandLine)));
    }

    @Test
    void thePortGivenWithLowerCasePIsFlaggedWithoutEchoingThePassword() {
        Evaluation e = lint("ionice -c3 /usr/bin/mysqldump -h 10.0.0.100 -p 3306 -uroot -pS3cretDump --databases cmdb"
                + " | gzip > /data/backup/cmdb.sql.gz");
        assertThat(codes(e)).contains("DUMP_CMD_PORT_FLAG");
        assertThat(finding(e, "DUMP_CMD_PORT_FLAG").evidence().get("words")).isEqualTo("-p 3306");
        assertThat(e.toString()).doesNotContain("S3cretDump");
        assertThat(finding(e, "DUMP_CMD_PORT_FLAG").summary() + finding(e, "DUMP_CMD_PORT_FLAG").evidence())
                .doesNotContain("S3cretDump").contains("-P 3306");
    }

    @Test
    void longPasswordOptionDetachedFromANumberIsFlaggedToo() {
        assertThat(codes(lint("mariadb-dump --password 3307 --all-databases"))).contains("DUMP_CMD_PORT_FLAG");
    }

    @Test
    void correctPortAttachedPasswordAndOtherProgramsAreNot() {
        assertThat(codes(lint("mysqldump -h db1 -P 3306 -uroot -p123456 --single-transaction cmdb")))
                .doesNotContain("DUMP_CMD_PORT_FLAG");
        assertThat(codes(lint("mysqldump --port=3306 -p --databases cmdb"))).doesNotContain("DUMP_CMD_PORT_FLAG");
        assertThat(codes(lint("mkdir -p 3306 && tar czf x.tgz dir"))).doesNotContain("DUMP_CMD_PORT_FLAG");
        assertThat(codes(lint(""))).doesNotContain("DUMP_CMD_PORT_FLAG");
    }
}
