package io.opsdoc.checks.host;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed, read-only commands a host check may run, and nothing else: reading named files under /proc and /sys,
 * {@code df -P -T} for blocks or inodes, the stat line of every process, {@code ss -ltn} (listening sockets),
 * {@code ip -o addr show} (the interfaces' addresses), and for the backup checks {@code find} listing one directory
 * and {@code cat} of one file it listed. Over SSH they are the only strings
 * sent; file names come from the check, never from the target, and paths from {@code --set mounts=} are quoted.
 */
final class HostCommands {
    private static final Pattern READABLE = Pattern.compile("/(proc|sys)/[A-Za-z0-9_.@:/-]+");
    /** dns-resolution's resolver configuration: a file named resolv.conf anywhere (/etc, /run/systemd/resolve). */
    private static final Pattern RESOLV_CONF = Pattern.compile("/([A-Za-z0-9_.@:-]+/)*resolv\\.conf");

    private HostCommands() {
    }

    static void requireReadable(String path) {
        if (!READABLE.matcher(path).matches() && !RESOLV_CONF.matcher(path).matches() || path.contains("..")) {
            throw new IllegalArgumentException("not a /proc or /sys file or a resolv.conf a host check reads: " + path);
        }
    }

    static List<String> dfArgv(boolean inodes) {
        return List.of("df", "-P", "-T", inodes ? "-i" : "-k");
    }

    /** The shell line sent over SSH for {@link HostReader#read}. */
    static String catLine(String path) {
        requireReadable(path);
        return "cat -- " + quote(path);
    }

    static String dfLine(boolean inodes, List<String> paths) {
        StringBuilder s = new StringBuilder("LC_ALL=C ").append(String.join(" ", dfArgv(inodes)));
        if (!paths.isEmpty()) {
            s.append(" --");
            paths.forEach(p -> s.append(' ').append(quote(p)));
        }
        return s.toString();
    }

    /** The listening TCP sockets with their backlog; read-only, and any user may run it for listening sockets. */
    static final List<String> SS_LISTEN = List.of("ss", "-ltn");

    static final String SS_LISTEN_LINE = "LC_ALL=C ss -ltn";

    /** Every address of every interface, one line each; read-only, any user may run it (keepalived-vip, LVS). */
    static final List<String> IP_ADDR = List.of("ip", "-o", "addr", "show");

    static final String IP_ADDR_LINE = "LC_ALL=C ip -o addr show";

    /** Every process's stat line; processes that end between the glob and the read are skipped silently. */
    static final String PROCESS_STATS = "cat /proc/[0-9]*/stat 2>/dev/null; true";

    /**
     * The one way a directory is listed (the backup checks): its regular files, symbolic links judged by their
     * target, one level only, each as "size mtime name" ended by NUL so that no file name can split a record. The
     * directory comes from the user's glob: it must be absolute and normal, and it is single-quoted; the glob itself is
     * matched here, not by the remote shell (GNU find, so {@code -printf}).
     */
    static String listLine(String directory) {
        requireFilePath(directory);
        return "LC_ALL=C find -L " + quote(directory) + " -mindepth 1 -maxdepth 1 -type f -printf '%s %T@ %f\\0'";
    }

    /** The one way a file is read to its end (a backup's gzip or bbolt test): {@code cat} of one listed file. */
    static String streamLine(String file) {
        requireFilePath(file);
        return "cat -- " + quote(file);
    }

    /**
     * Where linux-service-autostart looks, below the root it is given: systemd's unit directories (the admin's, the
     * runtime's, the packages'), SysV init scripts and the runlevel 2-5 start links, and rc.local in its Debian and
     * RHEL places. Missing ones are skipped; {@code -H} follows the given paths when they are links (RHEL's
     * /etc/rc3.d -> rc.d/rc3.d, /etc/rc.local -> rc.d/rc.local) but not the entries found below them.
     */
    static final List<String> AUTOSTART_PATHS = List.of("/etc/systemd/system", "/run/systemd/system",
            "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system", "/etc/init.d",
            "/etc/rc2.d", "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d", "/etc/rc.local", "/etc/rc.d/rc.local");

    /** Each entry as "path type link-target mode", every field NUL-ended (find's -printf; GNU findutils). */
    static final String AUTOSTART_FORMAT = "%p\\0%y\\0%l\\0%m\\0";

    static List<String> autostartArgv(String root) {
        requireFilePath(root);
        List<String> argv = new java.util.ArrayList<>(List.of("find", "-H"));
        String prefix = root.equals("/") ? "" : root;
        AUTOSTART_PATHS.forEach(p -> argv.add(prefix + p));
        argv.addAll(List.of("-maxdepth", "2", "-printf", AUTOSTART_FORMAT));
        return argv;
    }

    static String autostartLine(String root) {
        StringBuilder s = new StringBuilder("LC_ALL=C");
        autostartArgv(root).forEach(a -> s.append(' ').append(quote(a)));
        return s.append(" 2>/dev/null; true").toString();
    }

    /** A unit name systemctl may be asked about: letters, digits and {@code :_.@-}, nothing a shell would read. */
    static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@-]+");

    /** The state of named units from a running systemd (read-only; any user may ask). */
    static List<String> systemctlArgv(List<String> units) {
        List<String> argv = new java.util.ArrayList<>(List.of("systemctl", "show", "--no-pager",
                "-p", "Id,LoadState,ActiveState,SubState,Result,UnitFileState", "--"));
        for (String u : units) {
            if (!UNIT.matcher(u).matches()) {
                throw new IllegalArgumentException("not a unit name: " + u);
            }
            argv.add(u);
        }
        return argv;
    }

    static String systemctlLine(List<String> units) {
        return "LC_ALL=C " + String.join(" ", systemctlArgv(units));
    }

    /**
     * iptables-rules' dumps: {@code iptables-save -c} and {@code ip6tables-save -c} (the back end the system's
     * alternatives chose), and for the mixed-back-end test {@code iptables-legacy-save -c} and {@code iptables-nft-save
     * -c}. Read-only, but the kernel answers only a caller with CAP_NET_ADMIN.
     */
    static final List<String> FIREWALL_DUMPS = List.of("iptables-save", "ip6tables-save", "iptables-legacy-save",
            "iptables-nft-save");

    /** A network namespace name as {@code ip netns} creates them under /run/netns. */
    static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * The argv of one dump: plain, through {@code sudo -n /usr/sbin/NAME -c} (the one sudoers rule an operator may
     * grant), or, on local: only, inside a named network namespace with {@code ip netns exec NAME}.
     */
    static List<String> firewallArgv(String dump, boolean sudo, String netns) {
        if (!FIREWALL_DUMPS.contains(dump)) {
            throw new IllegalArgumentException("not a firewall dump iptables-rules runs: " + dump);
        }
        List<String> argv = new java.util.ArrayList<>();
        if (!netns.isEmpty()) {
            if (!NETNS.matcher(netns).matches() || netns.startsWith(".")) {
                throw new IllegalArgumentException("not a network namespace name: " + netns);
            }
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        if (sudo) {
            argv.addAll(List.of("sudo", "-n", "/usr/sbin/" + dump, "-c"));
        } else {
            argv.addAll(List.of(dump, "-c"));
        }
        return argv;
    }

    /** The shell line sent over SSH for one dump (no namespace: the SSH user reads its sshd's namespace). */
    static String firewallLine(String dump, boolean sudo) {
        return "LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin " + String.join(" ", firewallArgv(dump, sudo, ""));
    }

    /**
     * What one firewall dump's run means: its output; null when the tool is not installed (RHEL 8+ has no
     * iptables-legacy-save); PERMISSION_DENIED, saying what is missing, when the caller lacks CAP_NET_ADMIN or sudo
     * refused; PROBE_FAILED otherwise. Never echoes more than the tool's first error line.
     */
    static String firewallResult(String command, Integer status, String out, String err, boolean sudo) throws ProbeException {
        if (status != null && status == 0) {
            return out;
        }
        String first = err.lines().filter(l -> !l.isBlank()).findFirst().orElse("no message").strip();
        if (status != null && status == 127 || first.contains("command not found") || first.contains("No such file")) {
            return null;
        }
        if (first.contains("Permission denied") || first.contains("Operation not permitted")
                || first.contains("must be root") || first.startsWith("sudo:")) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, command + ": " + first + " (reading the rules "
                    + "needs CAP_NET_ADMIN in the host's network namespace: run opsdoc as root there, or in a container "
                    + "with --cap-add NET_ADMIN --network host; " + (sudo ? "or fix the sudoers rule that opsdoc grants "
                    + "iptables-rules prints" : "or grant the one sudoers rule of opsdoc grants iptables-rules and set "
                    + "sudo=true") + ")");
        }
        throw new ProbeException(ProbeErrors.PROBE_FAILED, command + " exited with " + status + ": " + first);
    }

    /** A BIRD client: birdc (Debian bird/bird2), birdcl (Calico's image ships only this), or a path ending in one. */
    private static final Pattern BIRD_CLIENT = Pattern.compile("(/[A-Za-z0-9_.+-]+)*/?birdc(l|2)?");

    /**
     * The one BIRD command a check runs: {@code show protocols} in restricted mode ({@code -r}: the daemon then
     * refuses every command but {@code show ...}, so the session is read-only whatever is sent) on the given control
     * socket. The client and socket come from the check's parameters; both are validated, the socket quoted.
     */
    static List<String> birdArgv(String client, String socket) {
        if (!BIRD_CLIENT.matcher(client).matches() || client.contains("..")) {
            throw new IllegalArgumentException("not a BIRD client (birdc, birdcl or a path ending in one): " + client);
        }
        requireFilePath(socket);
        return List.of(client, "-r", "-s", socket, "show", "protocols");
    }

    /** The shell line sent over SSH for {@link #birdArgv}: birdc lives in /usr/sbin, not on a plain user's PATH. */
    static String birdLine(String client, String socket) {
        List<String> argv = birdArgv(client, socket);
        StringBuilder s = new StringBuilder("LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin");
        argv.forEach(a -> s.append(' ').append(quote(a)));
        return s.toString();
    }

    /**
     * What one run of the BIRD client means: its output when it exited 0; else the reason in birdc's own words, as a
     * probe error. birdc prints "Unable to connect to server control socket (PATH): REASON": no such file (BIRD does
     * not run, or another socket path) and connection refused (a socket left by a BIRD that died) are UNREACHABLE,
     * permission denied is PERMISSION_DENIED. Exit 127 or "not found": the client is not installed.
     */
    static String birdResult(String command, Integer status, String out, String err) throws ProbeException {
        String all = err + "\n" + out;
        String first = all.lines().filter(l -> l.contains("Unable to connect") || l.contains("denied")
                || l.contains("not found") || l.contains("No such file")).findFirst()
                .orElse(err.lines().filter(l -> !l.isBlank()).findFirst().orElse("no message")).strip();
        if (status != null && status == 0 && !first.contains("Access denied")) {
            return out;
        }
        if (status != null && status == 127 || first.contains("command not found")
                || first.contains("No such file") && !first.contains("control socket")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, command + ": the BIRD client is not installed here "
                    + "(Debian package bird2 or bird: birdc; Calico's calico-node image: birdcl), or set client=");
        }
        if (first.contains("Permission denied")) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, command + ": " + first + " (connecting to BIRD's "
                    + "control socket needs write permission on the socket file: opsdoc grants prints the group or "
                    + "user that has it)");
        }
        if (first.contains("Unable to connect")) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, command + ": " + first + " (is BIRD running on this "
                    + "node? Calico's calico-node runs it only with the BGP networking backend)");
        }
        throw new ProbeException(ProbeErrors.PROBE_FAILED, command + " exited with " + status + ": " + first);
    }

    /** An absolute, normal path with no NUL or line break: what {@link #listLine} and {@link #streamLine} accept. */
    static void requireFilePath(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c == 0 || c == '\n' || c == '\r')
                || !java.nio.file.Path.of(path).normalize().toString().equals(path)) {
            throw new IllegalArgumentException("not an absolute, normal path: " + path);
        }
    }

    /** One program and its arguments as an SSH exec line: C locale, every word single-quoted, no shell syntax. */
    static String commandLine(List<String> argv) {
        StringBuilder line = new StringBuilder("LC_ALL=C");
        for (String a : argv) {
            if (a.chars().anyMatch(c -> c == 0 || c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("a command argument holds a NUL or line break");
            }
            line.append(' ').append(quote(a));
        }
        return line.toString();
    }

    /** POSIX single quotes: the only character that needs care inside them is the quote itself. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static ProbeException failure(String command, String stderr) {
        String first = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("no message").strip();
        if (first.contains("Permission denied")) {
            return new ProbeException(ProbeErrors.PERMISSION_DENIED, command + ": " + first
                    + " (opsdoc grants lists what the user must be able to read)");
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, command + ": " + first);
    }
}
