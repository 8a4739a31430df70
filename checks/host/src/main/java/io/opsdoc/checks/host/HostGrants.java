package io.opsdoc.checks.host;

import io.opsdoc.core.GrantSet;
import java.util.List;

/** What a host check needs on the host, the same shape for every host check: an ordinary user, no sudo. */
final class HostGrants {
    static final List<String> SCHEMES = List.of("local", "ssh");

    private HostGrants() {
    }

    /**
     * The grants of a check that lists one directory and reads its newest matching file (the backup checks): the
     * same ordinary SSH user, plus read access to exactly that directory and its files ({@code access}, e.g. an ACL).
     */
    static List<GrantSet> fileGrants(String checkId, List<String> access, String why) {
        List<String> ssh = new java.util.ArrayList<>(sshUser());
        ssh.addAll(access);
        return List.of(
                new GrantSet("ssh:// (any Linux with OpenSSH and GNU find)", List.copyOf(ssh), checkId + " runs only "
                        + "two fixed read-only commands: find -L DIR -mindepth 1 -maxdepth 1 -type f -printf "
                        + "'%s %T@ %f\\0' (the backup directory, one level) and cat -- FILE (the newest matching file, "
                        + "read to its end within the deadline); the glob is matched by opsdoc, never by the remote "
                        + "shell. " + why),
                new GrantSet("local:", List.copyOf(access), checkId + " lists the same directory and reads the same "
                        + "file directly, as the user running opsdoc. " + why));
    }

    /**
     * The grants of a check that runs one fixed read-only command ({@code command}, as the user sees it): an ordinary
     * SSH user (or the local user) plus {@code access}, what lets it run that command.
     */
    static List<GrantSet> commandGrants(String checkId, String command, List<String> access, String why) {
        List<String> ssh = new java.util.ArrayList<>(sshUser());
        ssh.addAll(access);
        return List.of(
                new GrantSet("ssh:// (any Linux with OpenSSH)", List.copyOf(ssh), checkId + " runs only one fixed "
                        + "command: " + command + ". " + why),
                new GrantSet("local:", List.copyOf(access), checkId + " runs the same command as the user running "
                        + "opsdoc. " + why));
    }

    private static List<String> sshUser() {
        return List.of(
                "useradd --create-home --shell /bin/sh opsdoc      # an ordinary user: no sudo",
                "usermod -p '*' opsdoc                           # no password, key login only (not '!': sshd "
                        + "refuses locked accounts when UsePAM is no)",
                "install -d -m 700 -o opsdoc -g opsdoc ~opsdoc/.ssh",
                "install -m 600 -o opsdoc -g opsdoc opsdoc_key.pub ~opsdoc/.ssh/authorized_keys",
                "# opsdoc's side: ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts (after checking the fingerprint)");
    }

    static List<GrantSet> grants(String checkId, String reads) {
        return List.of(
                new GrantSet("ssh:// (any Linux with OpenSSH)", List.of(
                        "useradd --create-home --shell /bin/sh opsdoc      # an ordinary user: no sudo, no groups",
                        "usermod -p '*' opsdoc                           # no password, key login only (not '!': sshd "
                                + "refuses locked accounts when UsePAM is no)",
                        "install -d -m 700 -o opsdoc -g opsdoc ~opsdoc/.ssh",
                        "install -m 600 -o opsdoc -g opsdoc opsdoc_key.pub ~opsdoc/.ssh/authorized_keys",
                        "# optional, in authorized_keys before the key: no-port-forwarding,no-agent-forwarding,"
                                + "no-X11-forwarding,no-pty",
                        "# opsdoc's side: ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts (after checking the fingerprint)"),
                        checkId + " runs only fixed read-only commands: " + reads + ". World-readable on a stock "
                                + "kernel; with /proc mounted hidepid=1/2 the user sees only its own processes."),
                new GrantSet("local:", List.of("# none: run opsdoc as any user; in a container mount the host's /proc "
                        + "read-only (-v /proc:/host/proc:ro) and use local:?proc=/host/proc"),
                        checkId + " reads the same files as over SSH, directly. Only root sees other users' "
                                + "/proc/PID/fd, which linux-disk (deleted open files) and linux-fd-usage (per-process "
                                + "counts) read on local:; as another user they judge that user's processes only."));
    }

    /**
     * The grants of a check that reads firewall rules (CAP_NET_ADMIN): root or a container with NET_ADMIN on local:,
     * and over SSH the one documented exception to "no sudo": a sudoers rule naming exactly {@code dumps}, each with
     * {@code -c}, in {@code /etc/sudoers.d/FILE}.
     */
    static List<GrantSet> firewallGrants(String checkId, List<String> dumps, String sudoersFile, String runs) {
        String commands = String.join(", ", dumps.stream().map(d -> "/usr/sbin/" + d + " -c").toList());
        String count = dumps.size() == 1 ? "this one fixed command" : "exactly these " + words(dumps.size())
                + " fixed commands";
        return List.of(
                new GrantSet("local:", List.of("# run opsdoc as root in the host's network namespace, or in a container "
                        + "with --network host --cap-add NET_ADMIN (CAP_NET_ADMIN only, not --privileged)"),
                        checkId + " runs " + runs + ". The kernel answers them only with CAP_NET_ADMIN; without it every "
                                + "check run is UNKNOWN PERMISSION_DENIED."),
                new GrantSet("ssh:// (exception: one sudoers rule, and --set sudo=true)", List.of(
                        "# the ordinary SSH user of opsdoc grants linux-disk, plus " + count + ":",
                        "cat > /etc/sudoers.d/" + sudoersFile + " <<'END'",
                        "opsdoc ALL=(root) NOPASSWD: " + commands,
                        "END",
                        "chmod 440 /etc/sudoers.d/" + sudoersFile + " && visudo -c"),
                        "Host checks use no sudo; this one is the exception, because no file or group grants "
                                + "CAP_NET_ADMIN read-only. The rule names the exact read-only command lines (no "
                                + "wildcard), so it allows nothing else; opsdoc runs them with sudo -n, never asking "
                                + "for a password. Without it (sudo=false) the user gets PERMISSION_DENIED."));
    }

    private static String words(int n) {
        return switch (n) {
            case 2 -> "two";
            case 3 -> "three";
            case 4 -> "four";
            default -> Integer.toString(n);
        };
    }
}
