package io.opsdoc.checks.edge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of nginx's {@code stub_status} page, exactly as ngx_http_stub_status_module prints it:
 * <pre>
 * Active connections: 2
 * server accepts handled requests
 *  10 10 25
 * Reading: 0 Writing: 1 Waiting: 1
 * </pre>
 * accepts, handled and requests count since the master started (they survive reloads, not restarts).
 */
public record StubStatus(long active, long accepts, long handled, long requests, long reading, long writing, long waiting) {
    private static final Pattern PAGE = Pattern.compile("Active connections:\\s*(\\d+)\\s*\\n\\s*server accepts handled requests"
            + "\\s*\\n\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*\\n\\s*Reading:\\s*(\\d+)\\s+Writing:\\s*(\\d+)\\s+Waiting:\\s*(\\d+)");

    /** The page's numbers, or null when the text is not a stub_status page. */
    static StubStatus parse(String text) {
        Matcher m = PAGE.matcher(text.replace("\r", ""));
        if (!m.find()) {
            return null;
        }
        return new StubStatus(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6), n(m, 7));
    }

    private static long n(Matcher m, int g) {
        return Long.parseLong(m.group(g));
    }

    /** Connections accepted but closed at once because the worker had no free connection slot. */
    public long dropped() {
        return accepts - handled;
    }
}
