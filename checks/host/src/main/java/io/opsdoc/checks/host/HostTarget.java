package io.opsdoc.checks.host;

import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two ways to reach a Linux host: {@code local:} (the machine opsdoc runs on, optionally with another
 * {@code /proc}, e.g. {@code local:?proc=/host/proc} in a container) and {@code ssh://user@host[:port]} with
 * {@code ?identity=FILE}, {@code ?known-hosts=FILE} and {@code ?agent=SOCKET|no} (by default the agent of
 * {@code SSH_AUTH_SOCK}, as ssh does).
 */
record HostTarget(boolean local, String procRoot, String user, String host, int port, Optional<Path> identity,
        Path knownHosts, Optional<Agent> agent) {
    /** An ssh-agent socket; {@code named}: given with ?agent=, so an agent that cannot be reached is an error. */
    record Agent(Path socket, boolean named) {
    }

    static final int SSH_PORT = 22;
    private static final Set<String> LOCAL_OPTIONS = Set.of("proc");
    private static final Set<String> SSH_OPTIONS = Set.of("identity", "known-hosts", "agent");

    static HostTarget of(Target target) {
        if ("local".equals(target.scheme())) {
            Map<String, String> options = localOptions(target);
            reject(options, LOCAL_OPTIONS, target);
            String proc = options.getOrDefault("proc", "/proc");
            if (!proc.startsWith("/")) {
                throw new UsageException("local:?proc=" + proc + ": give an absolute path, e.g. local:?proc=/host/proc");
            }
            return new HostTarget(true, proc.endsWith("/") && proc.length() > 1 ? proc.substring(0, proc.length() - 1) : proc,
                    null, null, 0, Optional.empty(), null, Optional.empty());
        }
        if (!"ssh".equals(target.scheme())) {
            throw new UsageException("a host target is local: or ssh://user@host[:port], not " + target.display());
        }
        if (target.hosts().size() != 1) {
            throw new UsageException("target " + target.display() + ": name exactly one host, ssh://user@host[:port]");
        }
        if (target.user().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no user; write ssh://USER@host[:port] "
                    + "(the key with ?identity=FILE, its passphrase with --password-env, --password-file or OPSDOC_PASSWORD)");
        }
        Map<String, String> options = target.query();
        reject(options, SSH_OPTIONS, target);
        Path home = Path.of(System.getProperty("user.home"));
        Path knownHosts = Optional.ofNullable(options.get("known-hosts")).map(HostTarget::expand)
                .orElse(home.resolve(".ssh").resolve("known_hosts"));
        Optional<Path> identity = Optional.ofNullable(options.get("identity")).map(HostTarget::expand);
        Target.HostPort hp = target.host();
        return new HostTarget(false, "/proc", target.user().get(), hp.host(), hp.portOr(SSH_PORT), identity, knownHosts,
                agent(options.get("agent"), System.getenv("SSH_AUTH_SOCK")));
    }

    static Optional<Agent> agent(String option, String authSock) {
        if (option == null) {
            return authSock == null || authSock.isBlank() ? Optional.empty() : Optional.of(new Agent(Path.of(authSock), false));
        }
        if (option.equals("no")) {
            return Optional.empty();
        }
        if (option.isBlank() || !option.startsWith("/") && !option.startsWith("~/")) {
            throw new UsageException("?agent=" + option + ": give the agent's socket as an absolute path (as in "
                    + "SSH_AUTH_SOCK), or ?agent=no");
        }
        return Optional.of(new Agent(expand(option), true));
    }

    /** What output and errors call the host: {@code local:} or {@code user@host:port}. */
    String where() {
        return local ? "local:" : user + "@" + host + (port == SSH_PORT ? "" : ":" + port);
    }

    /** {@code [host]:port} as known_hosts spells a non-default port, else {@code host}. */
    String knownHostsName() {
        return port == SSH_PORT ? host : "[" + host + "]:" + port;
    }

    private static Path expand(String file) {
        return file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
    }

    /** "local:" is an opaque URI, so {@link Target} keeps "?proc=..." as its path; the options are parsed here. */
    private static Map<String, String> localOptions(Target target) {
        Map<String, String> options = new LinkedHashMap<>(target.query());
        String rest = target.path();
        if (rest.startsWith("?")) {
            for (String pair : rest.substring(1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                options.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        } else if (!rest.isEmpty() && !rest.equals("//")) {
            throw new UsageException("target local:" + rest + ": write local: or local:?proc=/host/proc");
        }
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void reject(Map<String, String> options, Set<String> known, Target target) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new UsageException("target option '" + key + "' is not supported for " + target.scheme()
                        + ": targets; supported: " + String.join(", ", known));
            }
        }
    }
}
