package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisSession.text;

import io.opsdoc.checks.redis.RedisFacts.SlowlogEntry;
import io.opsdoc.checks.redis.RedisSession.Cmd;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** SLOWLOG GET: the newest entry's id before the window, the last ten entries after it. */
final class SlowlogReader {
    private SlowlogReader() {
    }

    static Long maxSlowlogId(RedisSession s) throws ProbeException {
        List<?> entries = (List<?>) s.call(Cmd.SLOWLOG, "GET", "1");
        if (entries.isEmpty()) {
            return -1L;
        }
        return (Long) ((List<?>) entries.get(0)).get(0);
    }

    static List<SlowlogEntry> slowlog(RedisSession s) throws ProbeException {
        List<SlowlogEntry> out = new ArrayList<>();
        for (Object o : (List<?>) s.call(Cmd.SLOWLOG, "GET", "10")) {
            List<?> e = (List<?>) o;
            List<String> args = new ArrayList<>();
            List<?> raw = (List<?>) e.get(3);
            if (!raw.isEmpty()) {
                String name = text(raw.get(0)).toLowerCase(Locale.ROOT);
                args.add(name);
                // never keep arguments of commands that can carry credentials
                if (raw.size() > 1 && !Set.of("auth", "hello", "migrate", "acl", "config").contains(name)) {
                    String first = text(raw.get(1));
                    args.add(first.length() > 64 ? first.substring(0, 64) + "..." : first);
                }
            }
            String client = e.size() > 4 ? text(e.get(4)) : null;
            out.add(new SlowlogEntry((Long) e.get(0), (Long) e.get(1), (Long) e.get(2), args, client));
        }
        return out;
    }
}
