package io.opsdoc.checks.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The /metrics half of k8s-etcd on etcd 3.4.23's exact text (captured from the lab's Debian etcd-server; the bucket
 * counts of the later reading are those of a member whose fsyncs took 0.7 s): parsing, the histogram difference over
 * the window and the quantile as Prometheus's histogram_quantile computes it, and the window's fall-back.
 */
class EtcdMetricsTest {
    private static final String BUCKETS = """
            # HELP etcd_disk_wal_fsync_duration_seconds The latency distributions of fsync called by WAL.
            # TYPE etcd_disk_wal_fsync_duration_seconds histogram
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} %1$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} %1$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.004"} %1$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.008"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.016"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.032"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.064"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.128"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.256"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.512"} %2$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="1.024"} %3$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="2.048"} %3$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="4.096"} %3$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="8.192"} %3$d
            etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} %3$d
            etcd_disk_wal_fsync_duration_seconds_sum 0.006833945
            etcd_disk_wal_fsync_duration_seconds_count %3$d
            # HELP etcd_server_leader_changes_seen_total The number of leader changes seen.
            # TYPE etcd_server_leader_changes_seen_total counter
            etcd_server_leader_changes_seen_total %4$d
            # HELP etcd_server_quota_backend_bytes Current backend storage quota size in bytes.
            # TYPE etcd_server_quota_backend_bytes gauge
            etcd_server_quota_backend_bytes 1.6777216e+07
            # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
            # TYPE process_start_time_seconds gauge
            process_start_time_seconds 1.79644149703e+09
            """;
    private static final double START = 1.79644149703e9;

    private static EtcdMetrics reading(double at, int fastest, int fast, int all, int leaders) {
        return EtcdMetrics.parse("m1", at, BUCKETS.formatted(fastest, fast, all, leaders));
    }

    @Test
    void parsesEtcdsOwnText() {
        EtcdMetrics m = reading(START + 60, 5, 6, 9, 5);
        assertThat(m.leaderChanges()).isEqualTo(5);
        assertThat(m.startTime()).isEqualTo(START);
        assertThat(m.quotaBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(m.walFsync().count()).isEqualTo(9);
        assertThat(m.walFsync().buckets()).hasSize(15);
        assertThat(m.backendCommit().count()).isZero();
    }

    @Test
    void quantileInterpolatesInsideTheBucketLikePrometheus() {
        // 6 under 8 ms, 3 between 0.512 and 1.024 s: rank 0.99*9 = 8.91 is 2.91/3 into that bucket
        EtcdMetrics.Histogram h = reading(START, 5, 6, 9, 1).walFsync();
        assertThat(h.quantile(0.99)).isCloseTo(0.512 + 0.512 * 2.91 / 3, within(1e-9));
        // rank 0.5*9 = 4.5 falls in the first bucket: interpolated from 0
        assertThat(h.quantile(0.5)).isCloseTo(0.001 * 4.5 / 5, within(1e-12));
        assertThat(EtcdMetrics.Histogram.EMPTY.quantile(0.99)).isNaN();
    }

    @Test
    void theWindowDecidesWhenItHoldsTenObservationsElseTheCumulativeHistogram() {
        EtcdMetrics.Histogram before = reading(START, 1000, 1000, 1000, 1).walFsync();
        EtcdMetrics.Histogram after = reading(START + 2, 1000, 1000, 1012, 1).walFsync();
        EtcdClusterRisks.Quantile q = EtcdClusterRisks.p99(before, after, 2000);
        assertThat(q.basis()).isEqualTo("over the last 2000 ms");
        assertThat(q.observations()).isEqualTo(12);
        assertThat(q.seconds()).isGreaterThan(0.512);

        EtcdMetrics.Histogram quiet = reading(START + 2, 1000, 1000, 1003, 1).walFsync();
        EtcdClusterRisks.Quantile fallback = EtcdClusterRisks.p99(before, quiet, 2000);
        assertThat(fallback.basis()).isEqualTo("since the member started");
        assertThat(fallback.observations()).isEqualTo(1003);
        assertThat(fallback.seconds()).isLessThan(0.002); // 3 slow of 1003 is under 1 %

        // a restart between the readings (counts went down) is not a difference
        assertThat(after.since(reading(START, 2000, 2000, 2000, 1).walFsync())).isNull();
    }

    @Test
    void churnIsSpreadOverTheUptimeOrFifteenMinutesWhenShorter() {
        Parameters p = Parameters.resolve(EtcdHealth.ID, new EtcdHealth().parameters(), Map.of());
        // five leaders seen in the first minute: four changes in under 15 minutes
        assertThat(codes(churn(reading(START + 60, 5, 9, 9, 5)), p)).containsExactly("ETCD_LEADER_CHURN");
        // the same counter after two hours: 0.5 per 15 minutes on average
        assertThat(codes(churn(reading(START + 7200, 5, 9, 9, 5)), p)).isEmpty();
        // three changes are not churn, however young the member
        assertThat(codes(churn(reading(START + 60, 5, 9, 9, 4)), p)).isEmpty();
    }

    private static EtcdFacts churn(EtcdMetrics m) {
        return new EtcdFacts("http://127.0.0.1:2379", "1", List.of(), List.of(), null, EtcdApi.DEFAULT_QUOTA, "default",
                List.of(m), List.of(), 0);
    }

    private static List<String> codes(EtcdFacts facts, Parameters p) {
        return Evaluation.of(new EtcdHealth(), "etcd://127.0.0.1:2379", facts, p).findings().stream()
                .map(Finding::code).toList();
    }
}
