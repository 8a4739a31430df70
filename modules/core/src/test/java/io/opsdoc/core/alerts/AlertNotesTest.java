package io.opsdoc.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.notes.NoteCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs against the real notes in docs/notes, so a renamed note or anchor breaks this test, not an alert at 3 a.m. */
class AlertNotesTest {
    private static final NoteCatalog NOTES = NoteCatalog.fromDirectory(Path.of("../../docs/notes"));

    @Test
    void runbookLinksOfServePagesAndRepositoryFilesParse() {
        assertThat(RunbookLink.parse("https://ops.example/notes/en/mysql/replication#lag-critical"))
                .contains(new RunbookLink("en", "mysql/replication", "lag-critical"));
        assertThat(RunbookLink.parse("https://git.example/ops/opsdoc/blob/main/docs/notes/zh/redis/memory.md"))
                .contains(new RunbookLink("zh", "redis/memory", null));
        assertThat(RunbookLink.parse("https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubenodenotready")).isEmpty();
        assertThat(RunbookLink.parse("https://x/notes/en/../../etc/passwd")).isEmpty();
        assertThat(RunbookLink.parse("not a url at all %%")).isEmpty();
        assertThat(RunbookLink.parse(null)).isEmpty();
    }

    @Test
    void standardAlertNamesFindTheirNoteAndCheck() {
        AlertNotes a = new AlertNotes(NOTES, Map.of());
        AlertNotes.Resolution r = a.resolve("MysqlSlaveSqlThreadNotRunning", null, "en").orElseThrow();
        assertThat(r.note().id()).isEqualTo("mysql/replication");
        assertThat(r.check()).isEqualTo("mysql-replication");
        assertThat(r.source()).isEqualTo(AlertNotes.Source.BUILT_IN);
        assertThat(a.resolve("KubeNodeNotReady", null, "zh").orElseThrow().note().lang()).isEqualTo("zh");
        assertThat(a.resolve("SomethingNobodyKnows", null, "en")).isEmpty();
    }

    @Test
    void userMappingWinsThenRunbookUrlThenBuiltIn() {
        AlertNotes a = new AlertNotes(NOTES, Map.of(
                "KubeNodeNotReady", new AlertMapping("KubeNodeNotReady", "kubernetes/workloads", null, "prod"),
                "OrdersLag", new AlertMapping("OrdersLag", null, "mysql-replication", "orders-db")));
        AlertNotes.Resolution user = a.resolve("KubeNodeNotReady", "https://x/notes/en/redis/memory", "en").orElseThrow();
        assertThat(user.note().id()).isEqualTo("kubernetes/workloads");
        assertThat(user.target()).isEqualTo("prod");
        assertThat(user.source()).isEqualTo(AlertNotes.Source.CONFIG);

        AlertNotes.Resolution link = a.resolve("OrdersLag", "https://x/notes/en/mysql/replication#lag-critical", "en").orElseThrow();
        assertThat(link.source()).isEqualTo(AlertNotes.Source.RUNBOOK_URL);
        assertThat(link.ref()).isEqualTo("mysql/replication#lag-critical");
        assertThat(link.check()).isEqualTo("mysql-replication");
        assertThat(link.target()).isEqualTo("orders-db");

        assertThat(a.resolve("Custom", "https://x/notes/en/mysql/replication#no-such-anchor", "en")).isEmpty();

        AlertNotes sections = new AlertNotes(NOTES, Map.of(
                "OrdersLag", new AlertMapping("OrdersLag", "mysql/replication#lag-critical", null, null),
                "Typo", new AlertMapping("Typo", "mysql/replication#no-such-anchor", null, null)));
        AlertNotes.Resolution section = sections.resolve("OrdersLag", null, "zh").orElseThrow();
        assertThat(section.ref()).isEqualTo("mysql/replication#lag-critical");
        assertThat(section.note().lang()).isEqualTo("zh");
        assertThat(section.source()).isEqualTo(AlertNotes.Source.CONFIG);
        assertThat(sections.resolve("Typo", null, "en")).isEmpty();
        assertThat(a.resolves(new RunbookLink("en", "redis/memory", null))).isTrue();
        assertThat(a.resolves(new RunbookLink("en", "redis/memory", "nope"))).isFalse();
    }
}
