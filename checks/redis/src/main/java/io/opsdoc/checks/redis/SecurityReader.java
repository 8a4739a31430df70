package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.RedisConnection.open;
import static io.opsdoc.checks.redis.RedisFailures.firstWord;
import static io.opsdoc.checks.redis.RedisSession.text;

import io.opsdoc.checks.redis.RedisFacts.DefaultUser;
import io.opsdoc.checks.redis.RedisSession.Cmd;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What redis-security reads: the default user (ACL GETUSER), the commands of the categories its rules name (ACL CAT),
 * which dangerous commands exist (COMMAND INFO), and whether a connection without AUTH gets in.
 */
final class SecurityReader {
    private SecurityReader() {
    }

    static DefaultUser defaultUser(RedisSession s) throws ProbeException {
        List<?> reply = (List<?>) s.call(Cmd.ACL, "GETUSER", "default");
        List<String> flags = new ArrayList<>();
        String commands = "";
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            String key = text(reply.get(i));
            Object value = reply.get(i + 1);
            if (key.equals("flags")) {
                for (Object f : (List<?>) value) {
                    flags.add(text(f));
                }
            } else if (key.equals("commands")) {
                commands = text(value);
            }
            // "passwords" (hashes) is read by the server but never kept
        }
        return new DefaultUser(flags, commands);
    }

    /** The commands of every category the default user is granted or denied ({@code +@cat} / {@code -@cat}), except @all. */
    static Map<String, List<String>> categories(RedisSession s, DefaultUser defaultUser) throws ProbeException {
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (String token : defaultUser.commands().split("\\s+")) {
            if (token.length() > 2 && token.charAt(1) == '@' && !token.equalsIgnoreCase("+@all")
                    && !token.equalsIgnoreCase("-@all")) {
                String cat = token.substring(2).toLowerCase(Locale.ROOT);
                if (!categories.containsKey(cat)) {
                    List<String> names = new ArrayList<>();
                    for (Object o : (List<?>) s.call(Cmd.ACL, "CAT", cat)) {
                        names.add(text(o).toLowerCase(Locale.ROOT));
                    }
                    categories.put(cat, names);
                }
            }
        }
        return categories;
    }

    /** For each of {@link RedisSecurity#DANGEROUS}: does the server know it (not renamed away or removed)? */
    static Map<String, Boolean> commands(RedisSession s) throws ProbeException {
        Map<String, Boolean> commands = new LinkedHashMap<>();
        for (String c : RedisSecurity.DANGEROUS) {
            List<?> reply = (List<?>) s.call(Cmd.COMMAND, "INFO", c);
            commands.put(c, !reply.isEmpty() && reply.get(0) != null);
        }
        return commands;
    }

    /** PING on a fresh connection that sends no AUTH: does the server let anyone in? */
    static String anonymousPing(CheckContext context) {
        try (Jedis j = open(context, false, "")) {
            j.getConnection().setSoTimeout(context.remainingMillis());
            return j.ping();
        } catch (ProbeException e) {
            return e.getCause() instanceof JedisDataException d ? firstWord(String.valueOf(d.getMessage()).trim()) : e.getMessage();
        } catch (JedisDataException e) {
            return firstWord(String.valueOf(e.getMessage()).trim());
        } catch (Exception e) {
            return "no connection: " + e.getClass().getSimpleName();
        }
    }
}
