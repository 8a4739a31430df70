package io.opsdoc.checks.redis;

import static io.opsdoc.checks.redis.SecurityCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who can get in and what they can do: a connection without AUTH, protected mode, and whether the default user (what
 * every client that sends only a password, or none, is) may run the commands that wipe or reconfigure the server.
 */
public final class RedisSecurity extends RedisCheck {
    public static final String ID = "redis-security";
    static final String NOTE = "redis/security";

    /** Commands that destroy data, scan everything or reconfigure the server. */
    static final List<String> DANGEROUS = List.of("flushall", "flushdb", "keys", "config", "debug");

    private static final List<GrantSet> GRANTS = acl("ACL GETUSER shows the default user's rules (the server also "
            + "returns password hashes, which opsdoc discards), ACL CAT resolves the categories those rules name, COMMAND INFO "
            + "tells renamed-away commands apart; CONFIG GET reads protected-mode and bind.",
            "info", "config|get", "acl|getuser", "acl|cat", "command|info", "client|setname");

    public RedisSecurity() {
        super(ID, "Can anyone connect to this Redis, and can they wipe or reconfigure it?",
                List.of(), SecurityCode.class, GRANTS);
    }

    @Override
    public RedisFacts collect(CheckContext context) throws Exception {
        return collect(context, new CollectRequest(false, 0, false, false, false, true,
                List.of("protected-mode", "bind", "enable-debug-command")), null);
    }

    @Override
    public void evaluate(RedisFacts f, Parameters p, Evaluation.Builder out) {
        String bind = f.config().getOrDefault("bind", "");
        boolean loopbackOnly = loopbackOnly(bind);
        List<String> flags = f.defaultUser() == null ? List.of() : f.defaultUser().flags();
        boolean defaultOn = flags.contains("on");
        boolean nopass = flags.contains("nopass");
        if ("PONG".equalsIgnoreCase(f.anonymous())) {
            out.finding(NO_PASSWORD, loopbackOnly ? Severity.WARNING : Severity.CRITICAL, "a connection that sent no "
                    + "password was served (PING answered PONG): anyone who can reach " + (loopbackOnly ? "this host's "
                    + "loopback (any local user or process)" : "the port") + " can read and change every key",
                    Evidence.of("ping_without_auth", f.anonymous(), "bind", bind, "protected-mode",
                            f.config().get("protected-mode"), "default_user_flags", String.join(" ", flags)));
        }
        if ("no".equals(f.config().get("protected-mode")) && defaultOn && nopass) {
            out.finding(PROTECTED_MODE_OFF, loopbackOnly ? Severity.WARNING : Severity.CRITICAL, "protected-mode is off and "
                    + "the default user has no password: nothing stops a client from another host"
                    + (loopbackOnly ? " once bind is widened (bind is loopback only now)" : " (bind " + bind + ")"),
                    Evidence.of("protected-mode", "no", "bind", bind, "default_user_flags", String.join(" ", flags)));
        }
        if (defaultOn && f.defaultUser() != null) {
            List<String> callable = callable(f);
            if (!callable.isEmpty()) {
                out.finding(DANGEROUS_COMMANDS_CALLABLE, Severity.WARNING, "the default user, which every client that "
                        + "authenticates with just a password (or none) is, may run " + String.join(", ", callable)
                        .toUpperCase(Locale.ROOT) + ": one mistaken or malicious command wipes or reconfigures the server",
                        Evidence.of("callable", String.join(" ", callable), "default_user_commands", f.defaultUser().commands(),
                                "default_user_flags", String.join(" ", flags))
                                .putIfPresent("enable-debug-command", f.config().get("enable-debug-command")));
            }
        }
    }

    /** Applies the default user's command rules in order, the way the server does, to each dangerous command. */
    static List<String> callable(RedisFacts f) {
        Map<String, Boolean> allowed = new LinkedHashMap<>();
        DANGEROUS.forEach(c -> allowed.put(c, false));
        if (f.defaultUser().flags().contains("allcommands")) {
            DANGEROUS.forEach(c -> allowed.put(c, true));
        }
        for (String raw : f.defaultUser().commands().trim().split("\\s+")) {
            String token = raw.toLowerCase(Locale.ROOT);
            if (token.length() < 2 || (token.charAt(0) != '+' && token.charAt(0) != '-')) {
                continue;
            }
            boolean allow = token.charAt(0) == '+';
            String what = token.substring(1);
            if (what.equals("@all")) {
                DANGEROUS.forEach(c -> allowed.put(c, allow));
            } else if (what.startsWith("@")) {
                List<String> members = f.categories() == null ? List.of() : f.categories().getOrDefault(what.substring(1), List.of());
                DANGEROUS.stream().filter(members::contains).forEach(c -> allowed.put(c, allow));
            } else if (allowed.containsKey(what)) {
                allowed.put(what, allow);
            }
            // "+config|get" allows a subcommand only: CONFIG SET stays denied, so it does not make CONFIG callable
        }
        List<String> out = new ArrayList<>();
        for (var e : allowed.entrySet()) {
            boolean exists = f.commands() == null || f.commands().getOrDefault(e.getKey(), true);
            boolean debugDisabled = e.getKey().equals("debug") && "no".equals(f.config().get("enable-debug-command"));
            if (e.getValue() && exists && !debugDisabled) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    static boolean loopbackOnly(String bind) {
        if (bind.isBlank()) {
            return false;
        }
        for (String addr : bind.trim().split("\\s+")) {
            String a = addr.startsWith("-") ? addr.substring(1) : addr;
            if (!(a.startsWith("127.") || a.equals("::1") || a.equalsIgnoreCase("localhost"))) {
                return false;
            }
        }
        return true;
    }
}
