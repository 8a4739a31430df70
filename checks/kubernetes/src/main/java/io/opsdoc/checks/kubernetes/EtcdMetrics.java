package io.opsdoc.checks.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few lines of an etcd member's {@code /metrics} (Prometheus text format) that k8s-etcd decides on: the leader
 * change counter and the process start time (leader churn), the WAL fsync and backend commit duration histograms
 * (slow disk), and the backend quota. Parsed by hand: five metric names do not justify a Prometheus client library.
 *
 * @param member        the member's name (or id)
 * @param scrapedAt     the checker's clock when the answer arrived, epoch seconds
 * @param leaderChanges etcd_server_leader_changes_seen_total, -1 when absent
 * @param startTime     process_start_time_seconds (the member's clock), 0 when absent
 * @param quotaBytes    etcd_server_quota_backend_bytes, 0 when absent
 * @param error         why the member's /metrics could not be read (then everything else is empty)
 */
public record EtcdMetrics(String member, double scrapedAt, long leaderChanges, double startTime, long quotaBytes,
        Histogram walFsync, Histogram backendCommit, String error) {
    static final String WAL_FSYNC = "etcd_disk_wal_fsync_duration_seconds";
    static final String BACKEND_COMMIT = "etcd_disk_backend_commit_duration_seconds";

    public boolean answered() {
        return error == null;
    }

    static EtcdMetrics failed(String member, String error) {
        return new EtcdMetrics(member, 0, -1, 0, 0, Histogram.EMPTY, Histogram.EMPTY, error);
    }

    /** The lines this check needs out of one /metrics body; absent metrics stay -1, 0 or empty. */
    static EtcdMetrics parse(String member, double scrapedAt, String body) {
        long changes = -1;
        double start = 0;
        long quota = 0;
        List<Bucket> wal = new ArrayList<>();
        List<Bucket> commit = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            try {
                if (line.startsWith("etcd_server_leader_changes_seen_total ")) {
                    changes = (long) value(line);
                } else if (line.startsWith("process_start_time_seconds ")) {
                    start = value(line);
                } else if (line.startsWith("etcd_server_quota_backend_bytes ")) {
                    quota = (long) value(line);
                } else if (line.startsWith(WAL_FSYNC + "_bucket{")) {
                    wal.add(bucket(line));
                } else if (line.startsWith(BACKEND_COMMIT + "_bucket{")) {
                    commit.add(bucket(line));
                }
            } catch (NumberFormatException e) {
                // a line this parser does not understand is skipped: the metric then counts as absent
            }
        }
        return new EtcdMetrics(member, scrapedAt, changes, start, quota, new Histogram(wal), new Histogram(commit), null);
    }

    /** The sample value of {@code name[{labels}] value [timestamp]}. */
    private static double value(String line) {
        int brace = line.lastIndexOf('}');
        String rest = brace < 0 ? line.substring(line.indexOf(' ') + 1) : line.substring(brace + 1);
        return Double.parseDouble(rest.trim().split("\\s+")[0]);
    }

    private static Bucket bucket(String line) {
        int le = line.indexOf("le=\"");
        if (le < 0) {
            throw new NumberFormatException("no le label");
        }
        String bound = line.substring(le + 4, line.indexOf('"', le + 4));
        double upper = "+Inf".equals(bound) ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
        return new Bucket(upper, (long) value(line));
    }

    /** One cumulative bucket: how many observations were at most {@code le} seconds. */
    public record Bucket(double le, long count) {
    }

    /** A cumulative histogram as Prometheus exposes it (buckets in ascending {@code le}, the last one +Inf). */
    public record Histogram(List<Bucket> buckets) {
        static final Histogram EMPTY = new Histogram(List.of());

        public Histogram {
            buckets = buckets.stream().sorted((a, b) -> Double.compare(a.le(), b.le())).toList();
        }

        /** Observations in total (the +Inf bucket), 0 when there are none. */
        public long count() {
            return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1).count();
        }

        /**
         * The observations between an earlier reading and this one, bucket by bucket, as Prometheus's
         * {@code rate(..._bucket)} does; null when the buckets differ or a count went down (the member restarted).
         */
        public Histogram since(Histogram earlier) {
            if (earlier.buckets.size() != buckets.size()) {
                return null;
            }
            List<Bucket> out = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                Bucket now = buckets.get(i);
                Bucket then = earlier.buckets.get(i);
                if (now.le() != then.le() || now.count() < then.count()) {
                    return null;
                }
                out.add(new Bucket(now.le(), now.count() - then.count()));
            }
            return new Histogram(out);
        }

        /**
         * The q-quantile in seconds the way Prometheus's {@code histogram_quantile} computes it: the bucket that holds
         * the rank, linear interpolation inside it (from 0 for the first bucket), and the highest finite bound when
         * the rank falls in the +Inf bucket. NaN when there are no observations.
         */
        public double quantile(double q) {
            long total = count();
            if (total == 0 || buckets.size() < 2) {
                return Double.NaN;
            }
            double rank = q * total;
            double lowerBound = 0;
            long lowerCount = 0;
            for (int i = 0; i < buckets.size(); i++) {
                Bucket b = buckets.get(i);
                if (b.count() >= rank) {
                    if (Double.isInfinite(b.le())) {
                        return buckets.get(i - 1).le();
                    }
                    long inBucket = b.count() - lowerCount;
                    return inBucket == 0 ? b.le() : lowerBound + (b.le() - lowerBound) * (rank - lowerCount) / inBucket;
                }
                lowerBound = b.le();
                lowerCount = b.count();
            }
            return buckets.get(buckets.size() - 2).le();
        }
    }

    static String seconds(double s) {
        return s >= 1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.0f ms", s * 1000);
    }
}
