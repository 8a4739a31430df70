package io.opsdoc.lab.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lab's waits on recorded SHOW SLAVE STATUS rows: what they accept, and what a failed one says. */
class ReplicaStatusTest {

    private static Map<String, String> row(String... kv) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put(kv[i], kv[i + 1]);
        }
        return row;
    }

    private static final Map<String, String> HEALTHY = row("Slave_IO_Running", "Yes", "Slave_SQL_Running", "Yes",
            "Seconds_Behind_Master", "0", "Last_IO_Errno", "0", "Last_SQL_Errno", "0", "SQL_Delay", "0",
            "Master_Log_File", "mysql-bin.000001", "Relay_Master_Log_File", "mysql-bin.000001",
            "Read_Master_Log_Pos", "1234", "Exec_Master_Log_Pos", "1234");

    @Test
    void healthyMeansBothThreadsNoLagNoDelayNothingUnapplied() {
        assertThat(ReplicaStatus.healthy(HEALTHY)).isTrue();
        Map<String, String> behind = new LinkedHashMap<>(HEALTHY);
        behind.put("Exec_Master_Log_Pos", "1000");
        assertThat(ReplicaStatus.applierBehind(behind)).isTrue();
        assertThat(ReplicaStatus.healthy(behind)).isFalse();
        Map<String, String> stopped = new LinkedHashMap<>(HEALTHY);
        stopped.put("Seconds_Behind_Master", null);
        assertThat(ReplicaStatus.secondsBehind(stopped)).isEqualTo(-1);
        assertThat(ReplicaStatus.healthy(stopped)).isFalse();
        assertThat(ReplicaStatus.healthy(Map.of())).isFalse();
    }

    @Test
    void aWaitReturnsTheFirstRowThatShowsIt() {
        AtomicInteger reads = new AtomicInteger();
        Map<String, String> shown = ReplicaStatus.await(() -> reads.incrementAndGet() < 3 ? HEALTHY
                        : row("Slave_SQL_Running", "No", "Last_SQL_Errno", "0"), "Slave_SQL_Running=No",
                s -> ReplicaStatus.is(s, "Slave_SQL_Running", "No"), Duration.ofSeconds(5));
        assertThat(shown).containsEntry("Slave_SQL_Running", "No");
        assertThat(reads).hasValue(3);
    }

    @Test
    void aFailedWaitSaysWhatTheReplicaShowedLast() {
        assertThatThrownBy(() -> ReplicaStatus.await(() -> row("Slave_IO_Running", "Connecting", "Last_IO_Errno",
                "2003", "Last_IO_Error", "error connecting to master"), "Slave_IO_Running=No",
                s -> ReplicaStatus.is(s, "Slave_IO_Running", "No"), Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replica did not show Slave_IO_Running=No within 0 s")
                .hasMessageContaining("Slave_IO_Running=Connecting").hasMessageContaining("Last_IO_Errno=2003")
                .hasMessageContaining("error connecting to master");
    }

    @Test
    void aReadErrorEndsTheWaitAtOnceWithItsCause() {
        SQLException cause = new SQLException("Communications link failure");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ReplicaStatus.await(() -> {
            throw cause;
        }, "anything", s -> true, Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("while waiting for anything").hasCause(cause);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aSummaryOfNoRowSaysSo() {
        assertThat(ReplicaStatus.summary(Map.of())).isEqualTo("(no row)");
    }
}
