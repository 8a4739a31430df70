package io.opsdoc.checks.edge;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream errors in the tail of an nginx error log: lines like
 * <pre>
 * 2026/12/04 18:30:01 [error] 4242#4242: *17 connect() failed (111: Connection refused) while connecting to upstream,
 *   client: 127.0.0.1, server: , request: "GET /app/ HTTP/1.1", upstream: "http://127.0.0.1:8081/app/", host: "..."
 * </pre>
 * whose timestamp (the nginx host's local time) is within the window. Only the last {@link #MAX_BYTES} of the file
 * are read, so a huge log costs the same as a small one. The request and client fields are dropped from examples:
 * URLs can carry tokens.
 */
final class ErrorLogScan {
    static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final Pattern UPSTREAM = Pattern.compile("upstream: \"([a-z]+://[^/\"]+)");
    /** Pattern in the line → the code it maps to. */
    static final Map<String, String> PATTERNS = Map.of(
            "connect() failed (111", "LOG_UPSTREAM_REFUSED",
            "upstream timed out (110", "LOG_UPSTREAM_TIMED_OUT",
            "no live upstreams", "LOG_NO_LIVE_UPSTREAMS",
            "upstream prematurely closed", "LOG_UPSTREAM_CLOSED_EARLY");

    private ErrorLogScan() {
    }

    static UpstreamsFacts.LogScan scan(Path file, long windowSeconds, ZonedDateTime now) throws IOException {
        byte[] tail;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long start = Math.max(0, length - MAX_BYTES);
            tail = new byte[(int) (length - start)];
            f.seek(start);
            f.readFully(tail);
        }
        return scan(new String(tail, StandardCharsets.UTF_8), file.toString(), tail.length, windowSeconds, now);
    }

    static UpstreamsFacts.LogScan scan(String text, String path, long bytes, long windowSeconds, ZonedDateTime now) {
        LocalDateTime since = now.withZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime().minusSeconds(windowSeconds);
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String[]> last = new LinkedHashMap<>();
        long inWindow = 0;
        for (String line : text.split("\n")) {
            if (line.length() < 19) {
                continue;
            }
            LocalDateTime at;
            try {
                at = LocalDateTime.parse(line.substring(0, 19), TIME);
            } catch (DateTimeParseException e) {
                continue; // a continuation or a partial first line
            }
            if (at.isBefore(since)) {
                continue;
            }
            inWindow++;
            for (Map.Entry<String, String> p : PATTERNS.entrySet()) {
                if (!line.contains(p.getKey())) {
                    continue;
                }
                Matcher m = UPSTREAM.matcher(line);
                String upstream = m.find() ? m.group(1) : "(none)";
                String key = p.getValue() + "|" + upstream;
                counts.computeIfAbsent(key, k -> new long[1])[0]++;
                last.put(key, new String[] {line.substring(0, 19), example(line, upstream)});
            }
        }
        List<UpstreamsFacts.Hit> hits = new ArrayList<>();
        counts.forEach((key, n) -> {
            String[] k = key.split("\\|", 2);
            String[] l = last.get(key);
            hits.add(new UpstreamsFacts.Hit(k[0], k[1], n[0], l[0], l[1]));
        });
        return new UpstreamsFacts.LogScan(path, windowSeconds, bytes, inWindow, hits);
    }

    private static String example(String line, String upstream) {
        int client = line.indexOf(", client:");
        String head = client > 0 ? line.substring(0, client) : line;
        if (head.length() > 300) {
            head = head.substring(0, 300) + "...";
        }
        return head + (upstream.equals("(none)") ? "" : ", upstream: " + upstream);
    }
}
