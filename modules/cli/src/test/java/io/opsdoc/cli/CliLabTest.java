package io.opsdoc.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.Json;
import io.opsdoc.lab.mysql.ApplierFaults;
import io.opsdoc.lab.mysql.MariaDbReplicationLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against a real MariaDB replica: findings, secrets, capture and replay. */
@Tag("lab")
class CliLabTest {
    private static MariaDbReplicationLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLab() {
        lab = MariaDbReplicationLab.shared();
    }

    @BeforeEach
    void heal() {
        lab.heal();
    }

    private Map<String, String> env() {
        return Map.of("MONITOR_PW", lab.monitorPassword());
    }

    private static List<String> codes(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.get("reports").forEach(r -> r.get("findings").forEach(f -> out.add(f.get("code").asText() + "/"
                + f.get("severity").asText() + "/" + f.get("fingerprint").asText())));
        return out;
    }

    @Test
    void textOutputLeadsWithTheVerdictThenEvidenceRunbookAndExplainLine() {
        ApplierFaults.duplicateKeyConflict(lab);
        Cli c = Cli.run(env(), "check", "mysql-replication", lab.replicaUri(), "--password-env", "MONITOR_PW");
        assertThat(c.exit()).isEqualTo(2);
        String first = c.out().lines().findFirst().orElseThrow();
        assertThat(first).startsWith("CRITICAL mysql-replication on " + lab.replicaUri() + ": SQL_ERROR");
        assertThat(c.out()).contains("evidence: Slave_SQL_Running=No, Last_SQL_Errno=1062")
                .contains("runbook:  ").contains("more:     opsdoc explain mysql-replication#SQL_ERROR");
        assertThat(c.out()).doesNotContain("is missing");
    }

    @Test
    void healthyReplicaExitsZero() {
        Cli c = Cli.run(env(), "check", "mysql-replication", lab.replicaUri(), "--password-env", "MONITOR_PW", "--format", "nagios");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).startsWith("MYSQL-REPLICATION OK - no findings | lag_seconds=0s;30;300");
    }

    @Test
    void thePasswordNeverAppearsInAnyFormatOrFile() throws Exception {
        String password = lab.monitorPassword();
        lab.wrongReplicationPassword();
        Path pwFile = dir.resolve("pw");
        Files.writeString(pwFile, password + "\n");
        List<String> everything = new ArrayList<>();
        for (String format : List.of("text", "json", "nagios")) {
            Path capture = dir.resolve("capture-" + format + ".json");
            Cli byEnv = Cli.run(env(), "check", "mysql-replication", lab.replicaUri(), "--password-env", "MONITOR_PW",
                    "--format", format, "--capture", capture.toString());
            assertThat(byEnv.exit()).isEqualTo(2);
            Cli byFile = Cli.run(Map.of(), "check", "mysql-replication", lab.replicaUri(), "--password-file", pwFile.toString(),
                    "--format", format);
            assertThat(byFile.exit()).isEqualTo(2);
            Cli byDefault = Cli.run(Map.of("OPSDOC_PASSWORD", password), "check", "mysql-replication", lab.replicaUri(), "--format", format);
            assertThat(byDefault.exit()).isEqualTo(2);
            everything.addAll(List.of(byEnv.all(), byFile.all(), byDefault.all(), Files.readString(capture, StandardCharsets.UTF_8)));
        }
        // a wrong password and a password in the URI must not leak either
        Cli wrong = Cli.run(Map.of("OPSDOC_PASSWORD", "Wr0ng-Secret-42"), "check", "mysql-replication", lab.replicaUri(), "--format", "json");
        assertThat(wrong.exit()).isEqualTo(3);
        Cli inUri = Cli.run(Map.of(), "check", "mysql-replication",
                "mysql://" + lab.monitorUser() + ":" + password + "@" + lab.host() + ":" + lab.replicaPort());
        assertThat(inUri.err()).contains("warning: the target URI carries a password");
        everything.addAll(List.of(wrong.all(), inUri.all()));
        assertThat(everything).allSatisfy(text -> assertThat(text).doesNotContain(password).doesNotContain("Wr0ng-Secret-42"));
    }

    @Test
    void wrongPasswordRefusedAndUnknownAreOneLineEach() {
        Cli wrong = Cli.run(Map.of("OPSDOC_PASSWORD", "nope-nope"), "check", "mysql-replication", lab.replicaUri(), "--format", "nagios");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.out().lines().findFirst().orElseThrow())
                .startsWith("MYSQL-REPLICATION UNKNOWN - AUTH_FAILED: access denied for user 'monitor'");
        assertThat(wrong.clean()).isTrue();
    }

    @Test
    void captureThenReplayReproducesTheSameFindingsOffline() throws Exception {
        ApplierFaults.duplicateKeyConflict(lab);
        Path capture = dir.resolve("facts.json");
        Cli live = Cli.run(env(), "check", "mysql-replication", lab.replicaUri(), "--password-env", "MONITOR_PW",
                "--format", "json", "--capture", capture.toString());
        lab.heal(); // the live problem is gone; the replay must not need the server
        Cli replay = Cli.run("replay", capture.toString(), "--format", "json");
        assertThat(replay.exit()).isEqualTo(live.exit()).isEqualTo(2);
        List<String> liveCodes = codes(Json.mapper().readTree(live.out()));
        assertThat(liveCodes).anySatisfy(c -> assertThat(c).startsWith("SQL_ERROR/CRITICAL/"));
        assertThat(codes(Json.mapper().readTree(replay.out()))).isEqualTo(liveCodes);
        JsonNode facts = Json.mapper().readTree(capture.toFile());
        assertThat(facts.get("schema").asText()).isEqualTo("opsdoc.capture/v1");
        assertThat(facts.at("/runs/0/facts/channels/0/Last_SQL_Errno").asText()).isEqualTo("1062");
        // what-if on the recorded facts: a replay can re-evaluate with other parameters
        assertThat(Cli.run("replay", capture.toString(), "--set", "expect-replica=false").exit()).isEqualTo(2);
    }

    @Test
    void aFailedCollectionReplaysAsTheSameUnknown() throws Exception {
        Path capture = dir.resolve("failed.json");
        Cli live = Cli.run(Map.of("OPSDOC_PASSWORD", "bad-pass-1"), "check", "mysql-replication", lab.replicaUri(),
                "--format", "json", "--capture", capture.toString());
        Cli replay = Cli.run("replay", capture.toString(), "--format", "json");
        assertThat(replay.exit()).isEqualTo(live.exit()).isEqualTo(3);
        assertThat(codes(Json.mapper().readTree(replay.out()))).isEqualTo(codes(Json.mapper().readTree(live.out())));
    }
}
