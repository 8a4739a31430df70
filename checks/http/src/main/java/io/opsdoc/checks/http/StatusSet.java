package io.opsdoc.checks.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The statuses an operator expects, written {@code 200-399}, {@code 200,204}, {@code 2xx,301} or a mix. */
record StatusSet(List<int[]> ranges, String text) {

    static StatusSet parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String raw : text.split(",")) {
            String t = raw.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.matches("[1-5]xx")) {
                    int base = (t.charAt(0) - '0') * 100;
                    ranges.add(new int[] {base, base + 99});
                } else if (t.matches("\\d{3}-\\d{3}")) {
                    int lo = Integer.parseInt(t.substring(0, 3));
                    int hi = Integer.parseInt(t.substring(4));
                    if (lo > hi) {
                        throw new IllegalArgumentException();
                    }
                    ranges.add(new int[] {lo, hi});
                } else if (t.matches("\\d{3}")) {
                    int s = Integer.parseInt(t);
                    ranges.add(new int[] {s, s});
                } else {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expect-status '" + text + "': '" + raw.trim()
                        + "' is not a status, a range such as 200-399, or a class such as 2xx");
            }
        }
        return new StatusSet(List.copyOf(ranges), text.trim());
    }

    boolean contains(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }
}
