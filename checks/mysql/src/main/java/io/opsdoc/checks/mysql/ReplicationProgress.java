package io.opsdoc.checks.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How far a server has got in one source's stream of transactions, in the form its flavour records it, and what one
 * server lacks that another has. Three forms: MySQL's executed GTID set ({@code uuid:1-100,uuid2:1-5}), MariaDB's
 * per-domain position ({@code 0-1-57}: domain, server_id, sequence number), and, for MySQL without GTID, a binlog
 * file and position of the source.
 */
sealed interface ReplicationProgress {

    /** What {@code this} lacks of {@code ahead}: how many transactions, written in the server's own notation. */
    record Gap(long transactions, String missing) {
        boolean isEmpty() {
            return transactions == 0;
        }
    }

    Gap missingFrom(ReplicationProgress ahead);

    /** Everything either has: the most any server of the group has got. */
    ReplicationProgress union(ReplicationProgress other);

    /** The value as the server prints it. */
    String text();

    /** MySQL's GTID set: per source UUID (and tag, 8.3+), the intervals of transaction numbers executed. */
    final class MysqlGtidSet implements ReplicationProgress {
        private static final Pattern INTERVAL = Pattern.compile("\\d+(-\\d+)?");
        /** "uuid" or "uuid:tag" to sorted, merged, inclusive intervals. */
        private final TreeMap<String, List<long[]>> sets;

        private MysqlGtidSet(TreeMap<String, List<long[]>> sets) {
            this.sets = sets;
        }

        /** Parses {@code @@gtid_executed} / {@code Retrieved_Gtid_Set}; the server breaks long sets over lines. */
        static MysqlGtidSet parse(String text) {
            TreeMap<String, List<long[]>> sets = new TreeMap<>();
            String s = text == null ? "" : text.replaceAll("\\s+", "");
            for (String member : s.split(",")) {
                if (member.isEmpty()) {
                    continue;
                }
                String[] parts = member.split(":");
                String uuid = parts[0].toLowerCase(Locale.ROOT);
                String key = uuid;
                for (int i = 1; i < parts.length; i++) {
                    if (INTERVAL.matcher(parts[i]).matches()) {
                        String[] ends = parts[i].split("-");
                        long lo = Long.parseLong(ends[0]);
                        long hi = ends.length > 1 ? Long.parseLong(ends[1]) : lo;
                        sets.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {lo, hi});
                    } else {
                        key = uuid + ":" + parts[i].toLowerCase(Locale.ROOT);
                    }
                }
            }
            sets.replaceAll((k, v) -> merged(v));
            return new MysqlGtidSet(sets);
        }

        @Override
        public Gap missingFrom(ReplicationProgress ahead) {
            MysqlGtidSet other = (MysqlGtidSet) ahead;
            TreeMap<String, List<long[]>> missing = new TreeMap<>();
            other.sets.forEach((key, intervals) -> {
                List<long[]> left = subtract(intervals, sets.getOrDefault(key, List.of()));
                if (!left.isEmpty()) {
                    missing.put(key, left);
                }
            });
            MysqlGtidSet m = new MysqlGtidSet(missing);
            return new Gap(m.count(), m.text());
        }

        @Override
        public ReplicationProgress union(ReplicationProgress other) {
            TreeMap<String, List<long[]>> all = new TreeMap<>();
            for (MysqlGtidSet s : List.of(this, (MysqlGtidSet) other)) {
                s.sets.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            }
            all.replaceAll((k, v) -> merged(v));
            return new MysqlGtidSet(all);
        }

        /** This set without the transactions of one server (its UUID, any tag); a null UUID removes nothing. */
        MysqlGtidSet without(String uuid) {
            TreeMap<String, List<long[]>> rest = new TreeMap<>(sets);
            if (uuid != null) {
                String u = uuid.trim().toLowerCase(Locale.ROOT);
                rest.keySet().removeIf(k -> k.equals(u) || k.startsWith(u + ":"));
            }
            return new MysqlGtidSet(rest);
        }

        long count() {
            long n = 0;
            for (List<long[]> intervals : sets.values()) {
                for (long[] i : intervals) {
                    n += i[1] - i[0] + 1;
                }
            }
            return n;
        }

        @Override
        public String text() {
            List<String> members = new ArrayList<>();
            sets.forEach((key, intervals) -> {
                StringBuilder b = new StringBuilder(key);
                for (long[] i : intervals) {
                    b.append(':').append(i[0]);
                    if (i[1] != i[0]) {
                        b.append('-').append(i[1]);
                    }
                }
                members.add(b.toString());
            });
            return String.join(",", members);
        }

        private static List<long[]> merged(List<long[]> intervals) {
            List<long[]> sorted = new ArrayList<>(intervals);
            sorted.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> out = new ArrayList<>();
            for (long[] i : sorted) {
                long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && i[0] <= last[1] + 1) {
                    last[1] = Math.max(last[1], i[1]);
                } else {
                    out.add(new long[] {i[0], i[1]});
                }
            }
            return out;
        }

        /** {@code from} without {@code remove}; both sorted and merged. */
        private static List<long[]> subtract(List<long[]> from, List<long[]> remove) {
            List<long[]> out = new ArrayList<>();
            for (long[] f : from) {
                long lo = f[0];
                long hi = f[1];
                for (long[] r : remove) {
                    if (r[1] < lo || r[0] > hi) {
                        continue;
                    }
                    if (r[0] > lo) {
                        out.add(new long[] {lo, r[0] - 1});
                    }
                    lo = r[1] + 1;
                    if (lo > hi) {
                        break;
                    }
                }
                if (lo <= hi) {
                    out.add(new long[] {lo, hi});
                }
            }
            return out;
        }
    }

    /**
     * MariaDB's GTID position: per replication domain the last transaction, {@code domain-server_id-seq_no}. Sequence
     * numbers only grow within a domain, so a server at seq_no 57 lacks 58..60 of a server at 60 in the same domain.
     */
    final class MariadbGtidPos implements ReplicationProgress {
        private final TreeMap<Long, long[]> byDomain; // domain to {server_id, seq_no}

        private MariadbGtidPos(TreeMap<Long, long[]> byDomain) {
            this.byDomain = byDomain;
        }

        /** Parses {@code @@gtid_slave_pos}, {@code @@gtid_binlog_pos}, {@code Gtid_IO_Pos}: {@code 0-1-57,1-2-9}. */
        static MariadbGtidPos parse(String text) {
            TreeMap<Long, long[]> byDomain = new TreeMap<>();
            String s = text == null ? "" : text.replaceAll("\\s+", "");
            for (String gtid : s.split(",")) {
                if (gtid.isEmpty()) {
                    continue;
                }
                String[] p = gtid.split("-");
                if (p.length != 3 || !gtid.matches("\\d+-\\d+-\\d+")) {
                    continue; // not a GTID: the server never prints one, so nothing to compare
                }
                long domain = Long.parseLong(p[0]);
                long[] v = {Long.parseLong(p[1]), Long.parseLong(p[2])};
                byDomain.merge(domain, v, (a, b) -> a[1] >= b[1] ? a : b);
            }
            return new MariadbGtidPos(byDomain);
        }

        @Override
        public Gap missingFrom(ReplicationProgress ahead) {
            long n = 0;
            List<String> ranges = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : ((MariadbGtidPos) ahead).byDomain.entrySet()) {
                long[] mine = byDomain.get(e.getKey());
                long have = mine == null ? 0 : mine[1];
                long want = e.getValue()[1];
                if (want > have) {
                    n += want - have;
                    ranges.add("domain " + e.getKey() + " seq_no " + (have + 1) + (want > have + 1 ? "-" + want : "")
                            + " (up to " + e.getKey() + "-" + e.getValue()[0] + "-" + want + ")");
                }
            }
            return new Gap(n, String.join(", ", ranges));
        }

        @Override
        public ReplicationProgress union(ReplicationProgress other) {
            TreeMap<Long, long[]> all = new TreeMap<>(byDomain);
            ((MariadbGtidPos) other).byDomain.forEach((d, v) -> all.merge(d, v, (a, b) -> a[1] >= b[1] ? a : b));
            return new MariadbGtidPos(all);
        }

        @Override
        public String text() {
            List<String> out = new ArrayList<>();
            byDomain.forEach((d, v) -> out.add(d + "-" + v[0] + "-" + v[1]));
            return String.join(",", out);
        }
    }

    /**
     * MySQL without GTID: a position in the source's binlog (file, byte offset). Only says who is behind, not by how
     * many transactions: a gap counts as one.
     */
    record BinlogPosition(String file, long position) implements ReplicationProgress {
        private int compare(BinlogPosition o) {
            int byFile = file.compareTo(o.file);
            return byFile != 0 ? byFile : Long.compare(position, o.position);
        }

        @Override
        public Gap missingFrom(ReplicationProgress ahead) {
            BinlogPosition a = (BinlogPosition) ahead;
            if (compare(a) >= 0) {
                return new Gap(0, "");
            }
            String bytes = file.equals(a.file) ? " (" + (a.position - position) + " bytes)" : "";
            return new Gap(1, "binlog from " + text() + " to " + a.text() + bytes);
        }

        @Override
        public ReplicationProgress union(ReplicationProgress other) {
            BinlogPosition o = (BinlogPosition) other;
            return compare(o) >= 0 ? this : o;
        }

        @Override
        public String text() {
            return file + ":" + position;
        }
    }
}
