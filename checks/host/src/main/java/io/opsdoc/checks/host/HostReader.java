package io.opsdoc.checks.host;

import io.opsdoc.core.FileGlob;
import java.io.InputStream;
import java.util.List;

/**
 * The facts a Linux host gives, the same way for {@code local:} and {@code ssh://}: a check's collect calls only
 * these, so it is identical for both transports. Every call is read-only and bounded by the check's deadline.
 */
interface HostReader {

    /** One file under /proc or /sys, e.g. {@code /proc/loadavg} (read from the configured proc root locally). */
    String read(String path) throws Exception;

    /**
     * {@code df -P -T} in 1K blocks ({@code inodes} false) or inodes (true), for the file systems holding
     * {@code paths}, or every mounted file system when {@code paths} is empty. Output in the C locale.
     */
    String df(boolean inodes, List<String> paths) throws Exception;

    /**
     * {@code ss -ltn} in the C locale: every listening TCP socket with its accept queue (Recv-Q) and backlog (Send-Q),
     * which /proc/net/tcp does not show. Null when this transport cannot give the sockets of the /proc it reads
     * ({@code local:?proc=} elsewhere: ss asks the kernel through netlink for its own network namespace).
     */
    String listeningSockets() throws Exception;

    /**
     * {@code ip -o addr show} in the C locale: every address of every interface of the host's network namespace, one
     * line each. Null when this transport cannot give the addresses of the /proc it reads ({@code local:?proc=}).
     */
    String addresses() throws Exception;

    /** The {@code /proc/[pid]/stat} line of every process, one per line (processes that end meanwhile are skipped). */
    String processStats() throws Exception;

    /**
     * Files deleted but still held open, from {@code /proc/[pid]/fd}; null when this transport cannot see them
     * (over SSH an unprivileged user sees only its own processes, so it does not look).
     */
    List<DeletedFile> deletedOpenFiles() throws Exception;

    /**
     * Processes holding at least half of their soft open-files limit ({@code /proc/[pid]/fd} against
     * {@code /proc/[pid]/limits}); null when this transport cannot see other users' processes (SSH).
     */
    List<ProcessFds> busyProcessFds() throws Exception;

    /**
     * The regular files in the glob's directory whose names match it (symbolic links judged by their target), newest
     * first; none when the directory does not exist. {@code grantsHint} says what to change when it cannot be listed.
     */
    List<FileGlob.Match> files(FileGlob glob, String grantsHint) throws Exception;

    /**
     * Gives {@code body} one file (one that {@link #files} listed) as a stream, read from its start; the body may stop
     * early. A read that cannot finish by the check's deadline ends in TIMEOUT, an unreadable file in
     * PERMISSION_DENIED, whatever the body made of the bytes it got.
     */
    <T> T stream(String path, StreamBody<T> body) throws Exception;

    /**
     * {@link HostCommands#autostartArgv}'s listing of systemd unit directories, init scripts, runlevel links and
     * rc.local below {@code root} (fields NUL-ended); missing paths are simply absent.
     */
    String autostartListing(String root) throws Exception;

    /** {@code systemctl show} of the named units: only asked when systemd runs (/run/systemd/system exists). */
    String systemctlShow(List<String> units) throws Exception;

    /**
     * One of {@link HostCommands#FIREWALL_DUMPS} with packet counters ({@code -c}), as printed; null when that tool is
     * not installed. {@code sudo}: through {@code sudo -n /usr/sbin/NAME -c}; {@code netns}: inside that named
     * namespace (local: only; empty for the transport's own). Without CAP_NET_ADMIN: PERMISSION_DENIED.
     */
    default String firewallDump(String dump, boolean sudo, String netns) throws Exception {
        throw new io.opsdoc.core.ProbeException(io.opsdoc.core.ProbeErrors.PROBE_FAILED,
                "this transport cannot read firewall rules");
    }

    /**
     * Runs one fixed program (argv, no shell on local:; each argument single-quoted over SSH) and returns what it
     * printed and its exit status, whatever the status: the caller judges it. Killed with its children at the
     * deadline (TIMEOUT).
     */
    default HostAccess.Result command(List<String> argv) throws Exception {
        throw new io.opsdoc.core.ProbeException(io.opsdoc.core.ProbeErrors.PROBE_FAILED,
                "this transport cannot run programs");
    }

    /**
     * {@code CLIENT -r -s SOCKET show protocols} ({@link HostCommands#birdArgv}): BIRD's protocol table, read-only.
     * A failure to reach the daemon is UNREACHABLE, an unreadable socket PERMISSION_DENIED.
     */
    default String birdProtocols(String client, String socket) throws Exception {
        throw new io.opsdoc.core.ProbeException(io.opsdoc.core.ProbeErrors.PROBE_FAILED,
                "this transport cannot ask BIRD");
    }

    @FunctionalInterface
    interface StreamBody<T> {
        T apply(InputStream in) throws Exception;
    }

    /** Open descriptors of one process and its soft "Max open files" limit (-1 when unlimited). */
    public record ProcessFds(long pid, String command, long open, long softLimit) {
    }

    /** A file that was deleted while a process still holds it: its space is freed only when the last fd closes. */
    public record DeletedFile(long pid, String command, String fd, String path, long bytes) {
    }
}
