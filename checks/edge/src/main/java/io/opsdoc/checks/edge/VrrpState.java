package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.KeepalivedCode.KEEPALIVED_DOWN;
import static io.opsdoc.checks.edge.KeepalivedCode.STATE_UNREADABLE;
import static io.opsdoc.checks.edge.KeepalivedCode.UNEXPECTED_MASTER;
import static io.opsdoc.checks.edge.KeepalivedCode.VRRP_FAULT;

import io.opsdoc.checks.host.ProcStat;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;
import io.opsdoc.core.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * keepalived's process and VRRP state on each peer: reading them (the keepalived processes among the /proc stat lines,
 * the first state word of the file a notify script writes) and judging them against who holds the VIP.
 */
final class VrrpState {
    /**
     * Where a state file may be read: keepalived's runtime and state directories, nothing else. Not /etc/keepalived
     * (keepalived.conf and its includes hold auth_pass), not /tmp (keepalived's own USR1/USR2 dumps land there and
     * print the password), not a whole file system.
     */
    static final List<String> ALLOWED_DIRECTORIES = List.of("/run/keepalived/", "/var/run/keepalived/",
            "/var/lib/keepalived/");
    /** The states keepalived passes to notify scripts (and writes to notify_fifo), in the order they are looked for. */
    static final List<String> STATES = List.of("MASTER", "BACKUP", "FAULT", "STOP", "DELETED");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_.@:/-]+");
    private static final Pattern WORD = Pattern.compile("[\\s\"',;=]+");
    /** What is read of a state file at most: the state is on its first line. */
    static final int MAX_BYTES = 256;

    private VrrpState() {
    }

    /** The {@code state-file} parameter: "" (off) or an absolute path inside {@link #ALLOWED_DIRECTORIES}. */
    static String stateFile(String parameter) {
        String path = parameter.strip();
        if (path.isEmpty()) {
            return "";
        }
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (!SAFE_PATH.matcher(path).matches() || path.contains("..") || !Path.of(path).normalize().toString()
                .equals(path) || ALLOWED_DIRECTORIES.stream().noneMatch(path::startsWith)) {
            throw new UsageException("parameter state-file: '" + path + "' is not a file under "
                    + String.join(", ", ALLOWED_DIRECTORIES) + " (the state file a keepalived notify script writes, "
                    + "e.g. /run/keepalived/VI_1.state); other paths are refused so that the check cannot be pointed "
                    + "at keepalived.conf or a dump, which hold the VRRP password");
        }
        if (name.contains("keepalived.conf") || name.endsWith(".conf") || name.endsWith(".data")
                || name.endsWith(".stats") || name.endsWith(".json")) {
            throw new UsageException("parameter state-file: '" + path + "' names keepalived's configuration or a "
                    + "dump (they hold auth_pass); name the notify script's state file, e.g. /run/keepalived/VI_1.state");
        }
        return path;
    }

    /**
     * The live keepalived processes among {@code /proc/[pid]/stat} lines (zombies do not count); null when the
     * listing shows no PID 1, i.e. /proc is mounted hidepid and other users' processes are hidden.
     */
    static Integer keepalivedProcesses(String statLines) {
        Map<String, Integer> live = ProcStat.liveByCommand(ProcStat.parse(statLines));
        return live == null ? null : live.getOrDefault("keepalived", 0);
    }

    /**
     * The first VRRP state word on the file's first line: a plain {@code MASTER} as most notify scripts write it, or
     * the notify_fifo / notify argument line {@code INSTANCE "VI_1" MASTER 100}. Null when there is none: the caller
     * reports that without echoing the content.
     */
    static String parse(String content) {
        String first = content.lines().findFirst().orElse("");
        for (String word : WORD.split(first.strip())) {
            String upper = word.toUpperCase(Locale.ROOT);
            if (STATES.contains(upper)) {
                return upper;
            }
        }
        return null;
    }

    /** Whether {@code peer} ({@code user@host:port}) is the host {@code expected} names ({@code host} or {@code host:port}). */
    static boolean names(String peer, String expected) {
        String hp = peer.substring(peer.indexOf('@') + 1);
        return hp.equals(expected) || hp.startsWith(expected + ":") || hp.equals("[" + expected + "]")
                || hp.startsWith("[" + expected + "]:");
    }

    /** The findings and metrics of the process and state rules; {@code vips} as normalized by the caller. */
    static void evaluate(List<KeepalivedFacts.Peer> readable, List<String> vips, String stateFile,
            String expectedMaster, Evaluation.Builder out) {
        List<String> running = readable.stream().filter(x -> x.keepalived() != null && x.keepalived() > 0)
                .map(KeepalivedFacts.Peer::peer).toList();
        for (KeepalivedFacts.Peer peer : readable) {
            if (peer.keepalived() == null) {
                continue;
            }
            out.metric(new Metric("keepalived_running", peer.keepalived() > 0 ? 1 : 0, "",
                    Map.of("peer", peer.peer()), null, null));
            if (peer.keepalived() == 0) {
                keepalivedDown(peer, running, vips, out);
            }
        }
        if (!stateFile.isEmpty()) {
            for (KeepalivedFacts.Peer peer : readable) {
                state(peer, vips, stateFile, out);
            }
        }
        if (!expectedMaster.isEmpty()) {
            expectedMaster(readable, vips, expectedMaster, out);
        }
    }

    private static void keepalivedDown(KeepalivedFacts.Peer peer, List<String> running, List<String> vips,
            Evaluation.Builder out) {
        boolean none = running.isEmpty();
        List<String> held = vips.stream().filter(peer::holds).toList();
        out.finding(KEEPALIVED_DOWN, none ? Severity.CRITICAL : Severity.WARNING, "keepalived is not running on "
                + peer.peer() + (none ? " nor on any other peer read: no peer will take the VIP over or keep it"
                        : ": the VIP is served by the other peer(s) (" + String.join(", ", running) + "), but the "
                                + "pair has no standby left: one more failure is an outage")
                + (held.isEmpty() ? "" : "; it still holds " + String.join(", ", held) + " (keepalived killed, not "
                        + "stopped, leaves its addresses behind)"),
                Evidence.of("peer", peer.peer(), "keepalived_processes", 0, "running_on", running, "holds", held),
                peer.peer());
    }

    private static void state(KeepalivedFacts.Peer peer, List<String> vips, String stateFile, Evaluation.Builder out) {
        boolean stopped = peer.keepalived() != null && peer.keepalived() == 0;
        if (peer.state() == null) {
            if (!stopped && peer.stateError() != null) {
                out.finding(STATE_UNREADABLE, Severity.WARNING, "the VRRP state of " + peer.peer() + " is unknown: "
                        + peer.stateError() + "; is the notify script installed there and does it write " + stateFile
                        + " readable by the monitoring user?", Evidence.of("peer", peer.peer(), "state_file",
                                stateFile, "error", peer.stateError()), peer.peer());
            }
            return;
        }
        out.metric(new Metric("keepalived_vrrp_state", 1, "", Map.of("peer", peer.peer(), "state", peer.state()),
                null, null));
        if (stopped) {
            return; // the file's last word is stale (STOP, or the state before a kill): KEEPALIVED_DOWN says it
        }
        List<String> held = vips.stream().filter(peer::holds).toList();
        if (peer.state().equals("FAULT")) {
            out.finding(VRRP_FAULT, Severity.WARNING, "peer " + peer.peer() + " is in FAULT state: a tracked "
                    + "interface, script or file reports a failure, so it neither holds the VIP nor can take it over "
                    + "(the pair has lost its standby); its keepalived log names the tracker (journalctl -u "
                    + "keepalived)", Evidence.of("peer", peer.peer(), "state", peer.state(), "state_file", stateFile),
                    peer.peer());
        }
        if (vips.isEmpty()) {
            return;
        }
        if (peer.state().equals("MASTER") && held.isEmpty()) {
            out.finding(UNEXPECTED_MASTER, Severity.WARNING, "peer " + peer.peer() + " says MASTER but holds none "
                    + "of " + String.join(", ", vips) + ": the addresses were removed behind keepalived's back, or "
                    + "the state file is stale (the notify script failed)", Evidence.of("peer", peer.peer(), "state",
                            peer.state(), "vips", vips), peer.peer());
        } else if (!held.isEmpty() && !peer.state().equals("MASTER")) {
            out.finding(UNEXPECTED_MASTER, Severity.WARNING, "peer " + peer.peer() + " holds " + String.join(", ",
                    held) + " while its state is " + peer.state() + ": an address left over (added by hand, or by a "
                    + "keepalived that was killed) answers beside the real MASTER's", Evidence.of("peer", peer.peer(),
                            "state", peer.state(), "holds", held), peer.peer());
        }
    }

    private static void expectedMaster(List<KeepalivedFacts.Peer> readable, List<String> vips, String expected,
            Evaluation.Builder out) {
        for (String vip : vips) {
            List<String> holders = readable.stream().filter(x -> x.holds(vip)).map(KeepalivedFacts.Peer::peer).toList();
            if (holders.isEmpty() || holders.stream().anyMatch(h -> names(h, expected))) {
                continue; // no holder: VIP_ABSENT (or PEER_UNREADABLE) says more
            }
            String why = readable.stream().filter(x -> names(x.peer(), expected)).findFirst()
                    .map(x -> x.keepalived() != null && x.keepalived() == 0 ? "its keepalived is not running"
                            : x.state() != null ? "its state is " + x.state()
                                    : "after a failover (nopreempt keeps the VIP where it went), or a lower priority")
                    .orElse("it could not be read");
            out.finding(UNEXPECTED_MASTER, Severity.WARNING, "VIP " + vip + " is on " + String.join(", ", holders)
                    + ", not on the preferred master " + expected + " (" + why + "): clients are served, by the node "
                    + "that was meant to be the standby; find why " + expected + " lost it, then fail back in a quiet "
                    + "moment", Evidence.of("vip", vip, "holders", holders, "expected_master", expected), vip);
        }
    }
}
