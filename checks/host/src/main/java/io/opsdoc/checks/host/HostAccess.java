package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.InputStream;
import java.util.List;

/**
 * The host transport ({@code local:} and {@code ssh://}) for checks of other families that read a host's files, such
 * as keepalived-vip and lvs-realserver-prereqs in checks/edge: the same fixed read-only command set, the same pooled
 * SSH session, the same probe errors. Only what those checks need is public; the rest stays package-private here.
 */
public final class HostAccess {
    /** The schemes a host target may have: {@code local} and {@code ssh}. */
    public static final List<String> SCHEMES = HostGrants.SCHEMES;

    private HostAccess() {
    }

    /** What a check may ask a host: one /proc or /sys file, the interfaces' addresses, the processes, backup files. */
    public interface Host {
        /** One file under /proc or /sys, e.g. {@code /proc/sys/net/ipv4/conf/all/arp_ignore}. */
        String read(String path) throws Exception;

        /** {@code ip -o addr show} in the C locale; null when this transport cannot give it ({@code local:?proc=}). */
        String addresses() throws Exception;

        /**
         * The {@code /proc/[pid]/stat} line of every process the user can see, one per line (keepalived-vip: is
         * keepalived running). Over SSH one fixed cat of every /proc/PID/stat.
         */
        String processStats() throws Exception;

        /**
         * The regular files in the glob's directory whose names match, newest first (symbolic links judged by their
         * target); none when the directory does not exist. Over SSH one {@code find DIR -maxdepth 1 -printf}.
         *
         * @param grantsHint what to run or change when the directory cannot be listed, for the message
         */
        List<FileGlob.Match> files(FileGlob glob, String grantsHint) throws Exception;

        /**
         * One listed file given to {@code body} as a stream from its start (over SSH one {@code cat} of it); the body
         * may stop early. A read cut by the deadline is TIMEOUT and an unreadable file PERMISSION_DENIED, whatever
         * the body concluded from the bytes it got.
         */
        <T> T stream(String path, FileReading<T> body) throws Exception;

        /**
         * Runs one fixed, read-only program chosen by the calling check (argv: no shell locally, every word quoted
         * over SSH) and returns its output and exit status, whatever the status. Ended with its children at the
         * deadline (TIMEOUT); a program that is not installed locally is PROBE_FAILED.
         */
        Result command(List<String> argv) throws Exception;

        /**
         * {@code iptables-save -c} exactly as iptables-rules runs it (through {@code sudo -n} with sudo, inside the
         * named network namespace with netns on local:); null when iptables is not installed. Without CAP_NET_ADMIN
         * or the sudoers rule: PERMISSION_DENIED saying what is missing.
         */
        String iptablesSave(boolean sudo, String netns) throws Exception;

        /**
         * BIRD's protocol table: {@code CLIENT -r -s SOCKET show protocols} (restricted mode, read-only) as printed.
         * UNREACHABLE when no BIRD answers on the socket, PERMISSION_DENIED when the socket is not the user's to use.
         */
        String birdProtocols(String client, String socket) throws Exception;
    }

    /**
     * The rules of one chain of one table in an {@code iptables-save} dump, in order, each as its text after the
     * counters ({@code -A CHAIN ...}).
     */
    public static List<String> chainRules(String save, String table, String chain) {
        return IptablesDump.parse(save).rules().stream().filter(r -> r.table().equals(table) && r.chain().equals(chain))
                .map(IptablesDump.Rule::spec).toList();
    }

    /**
     * The grants of a check that runs {@code iptables-save -c} (CAP_NET_ADMIN, or one sudoers rule over SSH);
     * {@code why} continues "CHECK runs iptables-save -c (read-only) ..." and ends without a full stop.
     */
    public static List<GrantSet> iptablesSaveGrants(String checkId, String why) {
        return HostGrants.firewallGrants(checkId, List.of("iptables-save"), "opsdoc-" + checkId, "iptables-save -c "
                + "(read-only) " + why);
    }

    /** What a program printed and how it ended; {@code status} is null when SSH reported none. */
    public record Result(String out, String err, Integer status) {
    }

    @FunctionalInterface
    public interface FileReading<T> {
        T apply(InputStream in) throws Exception;
    }

    @FunctionalInterface
    public interface Reading<T> {
        T apply(Host host) throws Exception;
    }

    /** Rejects a malformed host target (no user on ssh://, an unknown option) before any connection. */
    public static void validate(Target target) {
        HostTarget.of(target);
    }

    /**
     * A parameter that names another host than the check's target (a Kubernetes node, an MHA manager): {@code local:}
     * or {@code ssh://user@host[:port][?identity=FILE]}, checked before any connection; a clear usage error otherwise.
     */
    public static Target hostParameter(String name, String value) {
        Target t;
        try {
            t = Target.parse(value.strip());
        } catch (RuntimeException e) {
            throw new UsageException(name + ": give local: or ssh://user@host[:port], not '" + value.strip() + "'");
        }
        if (!SCHEMES.contains(t.scheme())) {
            throw new UsageException(name + ": give local: or ssh://user@host[:port], not " + t.display());
        }
        validate(t);
        return t;
    }

    /** How output names the host: {@code local:} or {@code user@host:port}. */
    public static String where(Target target) {
        return HostTarget.of(target).where();
    }

    /** Reads from the context's target over a session opened (or leased) and closed here. */
    public static <T> T with(CheckContext context, Reading<T> body) throws Exception {
        return HostSession.with(context, reader -> body.apply(new Host() {
            @Override
            public String read(String path) throws Exception {
                return reader.read(path);
            }

            @Override
            public String addresses() throws Exception {
                return reader.addresses();
            }

            @Override
            public String processStats() throws Exception {
                return reader.processStats();
            }

            @Override
            public List<FileGlob.Match> files(FileGlob glob, String grantsHint) throws Exception {
                return reader.files(glob, grantsHint);
            }

            @Override
            public <T> T stream(String path, FileReading<T> body) throws Exception {
                return reader.stream(path, body::apply);
            }

            @Override
            public Result command(List<String> argv) throws Exception {
                return reader.command(argv);
            }

            @Override
            public String iptablesSave(boolean sudo, String netns) throws Exception {
                return reader.firewallDump("iptables-save", sudo, netns);
            }

            @Override
            public String birdProtocols(String client, String socket) throws Exception {
                return reader.birdProtocols(client, socket);
            }
        }));
    }

    /**
     * Like {@link #with(CheckContext, Reading)}, on another host than the check's target: one a parameter names
     * (mysql-failover-readiness's MHA manager host). The target's password is not offered to that host: its key must
     * be unencrypted (?identity=FILE) or held by an SSH agent.
     */
    public static <T> T on(CheckContext context, Target host, Reading<T> body) throws Exception {
        HostTarget.of(host);
        CheckContext onHost = new CheckContext(host, java.util.Optional.empty(), context.parameters(),
                context.deadline(), context.clients());
        return with(onHost, body);
    }

    /** A check's codes: its own enum's, then the SSH transport's (host key unknown or changed). */
    public static <E extends Enum<E> & CheckCode> List<FindingCode> codesWith(Class<E> own) {
        return HostTransportCode.with(own);
    }

    /**
     * The grants of a check that lists one directory and reads its newest matching file: an ordinary SSH user (or
     * the local user) plus {@code access}, the commands that let it read exactly that directory and its files.
     */
    public static List<GrantSet> fileGrants(String checkId, List<String> access, String why) {
        return HostGrants.fileGrants(checkId, access, why);
    }

    /**
     * The grants of a check that runs one fixed read-only command on the host: an ordinary SSH user (or the local
     * user) plus {@code access}, what lets it run {@code command}.
     */
    public static List<GrantSet> commandGrants(String checkId, String command, List<String> access, String why) {
        return HostGrants.commandGrants(checkId, command, access, why);
    }

    /** The grants of a host check: an ordinary user with a key over SSH, nothing on local:. */
    public static List<GrantSet> grants(String checkId, String reads) {
        return HostGrants.grants(checkId, reads);
    }
}
