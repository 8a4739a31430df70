package io.opsdoc.checks.zookeeper;

import static io.opsdoc.checks.zookeeper.QuorumCode.ENSEMBLE_SIZE_RISKY;
import static io.opsdoc.checks.zookeeper.QuorumCode.FOUR_LETTER_WORDS_NOT_ALLOWED;
import static io.opsdoc.checks.zookeeper.QuorumCode.MEMBER_DOWN;
import static io.opsdoc.checks.zookeeper.QuorumCode.MEMBER_NOT_SERVING;
import static io.opsdoc.checks.zookeeper.QuorumCode.MULTIPLE_LEADERS;
import static io.opsdoc.checks.zookeeper.QuorumCode.QUORUM_LOST;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Does the ensemble have a quorum, and how many more failures can it take? Every member of the target's list is
 * asked {@code srvr} (its mode: leader, follower, observer, standalone) and {@code mntr} (the configured number of
 * voters, {@code zk_quorum_size}). {@code ruok} is not used: a member without a quorum still answers {@code imok}.
 */
public final class ZookeeperQuorum extends DescribedCheck<EnsembleFacts> {
    public static final String ID = "zookeeper-quorum";
    static final String NOTE = "zookeeper/quorum-and-failures";
    private static final List<String> SERVING = List.of("leader", "follower", "observer", "standalone");

    public ZookeeperQuorum() {
        super(ID, "zk", "Does the ZooKeeper ensemble have a quorum and a leader, and which members are down?",
                EnsembleFacts.class, List.of(), QuorumCode.class, ZookeeperGrants.grants("srvr,mntr"));
    }

    @Override
    public void validate(Target target) {
        Ensemble.validate(target);
    }

    @Override
    public EnsembleFacts collect(CheckContext context) throws Exception {
        return Ensemble.ask(context, true);
    }

    @Override
    public void evaluate(EnsembleFacts facts, Parameters p, Evaluation.Builder out) {
        List<MemberReply> members = facts.members();
        List<String> down = new ArrayList<>();
        List<String> notServing = new ArrayList<>();
        List<String> serving = new ArrayList<>();
        List<String> leaders = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int quorumSize = 0;
        boolean standalone = false;
        for (MemberReply m : members) {
            Mntr mntr = Mntr.parse(m.mntr());
            if (mntr != null && mntr.number("zk_quorum_size") > quorumSize) {
                quorumSize = (int) mntr.number("zk_quorum_size");
            }
            String mode = m.mode();
            if (m.down()) {
                down.add(m.member());
            } else if (m.notServing()) {
                notServing.add(m.member());
            } else if (mode != null && SERVING.contains(mode)) {
                serving.add(m.member());
                standalone |= mode.equals("standalone");
                if (mode.equals("leader")) {
                    leaders.add(m.member());
                }
            } else {
                unknown.add(m.member());
            }
            if (m.srvrDenied() || m.mntrDenied()) {
                String word = m.srvrDenied() ? "srvr" : "mntr";
                out.finding(FOUR_LETTER_WORDS_NOT_ALLOWED, Severity.INFO, m.member() + " does not allow the "
                        + "four-letter word '" + word + "' (" + (m.srvrDenied() ? (m.mode() == null ? "its mode is unknown to this check"
                        : "its mode was read from mntr")
                        : "its mode is read from srvr; the configured ensemble size and the health metrics are not "
                                + "read") + "): add it to 4lw.commands.whitelist in its zoo.cfg (e.g. "
                        + "4lw.commands.whitelist=srvr,mntr) and restart the member",
                        Evidence.of("member", m.member(), "word", word, "answer", Ensemble.firstLine(
                                m.srvrDenied() ? m.srvr() : m.mntr())), m.member());
            }
        }
        if (standalone) {
            quorumSize = Math.max(quorumSize, 1);
        } else if (quorumSize == 0) {
            // no member told us (mntr not allowed): the target's list is the configured ensemble
            quorumSize = members.size();
        }
        int majority = quorumSize / 2 + 1;
        if (serving.isEmpty() && !unknown.isEmpty()) {
            // nobody is seen serving, but some members would not say what they are: that is not a lost quorum
            out.finding(ProbeErrors.PERMISSION_DENIED.code(), Severity.UNKNOWN, "no member was seen serving, and "
                    + String.join(", ", unknown) + " did not tell its mode (srvr and mntr not allowed): whether the "
                    + "ensemble has a quorum is unknown; allow srvr,mntr in 4lw.commands.whitelist",
                    Evidence.of("unknown", unknown, "down", down, "not_serving", notServing));
            return;
        }
        boolean lost = serving.isEmpty();
        int tolerated = (quorumSize - 1) / 2;
        out.metric(Metric.of("zookeeper_members_serving", serving.size(), ""));
        out.metric(Metric.of("zookeeper_members_down", down.size(), ""));
        out.metric(Metric.of("zookeeper_quorum_size", quorumSize, ""));
        out.metric(Metric.of("zookeeper_leaders", leaders.size(), ""));
        for (MemberReply m : members) {
            String mode = m.down() ? "down" : m.notServing() ? "not-serving" : m.mode() == null ? "unknown" : m.mode();
            out.metric(new Metric("zookeeper_member_serving", serving.contains(m.member()) ? 1 : 0, "",
                    Map.of("member", m.member(), "mode", mode), null, null));
        }
        long syncedFollowers = leaders.size() == 1 ? zxidSpread(members, leaders.get(0), serving, out) : -1;
        if (lost) {
            out.finding(QUORUM_LOST, Severity.CRITICAL, "no member of " + members.size() + " serves requests: the "
                    + "ensemble has no leader and no quorum (" + majority + " of " + quorumSize + " voters must be up "
                    + "and connected), so every read and write is refused and clients lose their sessions"
                    + (down.isEmpty() ? "" : "; down: " + String.join(", ", down))
                    + (notServing.isEmpty() ? "" : "; not serving: " + String.join(", ", notServing)),
                    Evidence.of("members", members.size(), "quorum_size", quorumSize, "majority", majority,
                            "down", down, "not_serving", notServing));
        }
        if (leaders.size() > 1) {
            out.finding(MULTIPLE_LEADERS, Severity.CRITICAL, leaders.size() + " members say they lead: "
                    + String.join(", ", leaders) + ". One ensemble has one leader, so these members form separate "
                    + "ensembles (their server.N lines differ): each accepts writes of its own and clients connected "
                    + "to different members see different data",
                    Evidence.of("leaders", leaders, "quorum_size", quorumSize));
        }
        for (MemberReply m : members) {
            if (m.down()) {
                out.finding(MEMBER_DOWN, lost ? Severity.CRITICAL : Severity.WARNING, m.member() + " does not "
                        + "answer (" + m.error() + ")" + (lost ? "" : "; the ensemble still serves: " + serving.size()
                        + " member(s) up, it tolerates " + tolerated + " of " + quorumSize + " voters down, "
                        + (down.size() + notServing.size() >= tolerated ? "so one more failure loses the quorum"
                        : "more failures are still tolerated")),
                        Evidence.of("member", m.member(), "error_code", m.errorCode(), "error", m.error(),
                                "members_down", down.size(), "quorum_size", quorumSize)
                                .putIfPresent("leader_zk_synced_followers", syncedFollowers < 0 ? null : syncedFollowers),
                        m.member());
            } else if (m.notServing()) {
                out.finding(MEMBER_NOT_SERVING, lost ? Severity.CRITICAL : Severity.WARNING, m.member() + " answers '"
                        + FourLetterWord.NOT_SERVING + "': it is "
                        + (lost ? "running but cannot reach a majority of the voters, so it looks for a leader and refuses clients"
                        : "electing a leader or catching up with one; its clients are refused until it has"),
                        Evidence.of("member", m.member(), "answer", Ensemble.firstLine(m.srvr())), m.member());
            }
        }
        if (quorumSize < 3 || quorumSize % 2 == 0) {
            boolean small = quorumSize < 3;
            out.finding(ENSEMBLE_SIZE_RISKY, small ? Severity.WARNING : Severity.INFO, (standalone
                    ? "a standalone server, not an ensemble" : "an ensemble of " + quorumSize + " voters") + ": "
                    + (small ? "it tolerates no failure (losing one server stops the service); run 3 or 5"
                    : "it tolerates " + tolerated + " down, no more than " + (quorumSize - 1) + " voters would; "
                            + "an even size adds a server to every write's majority without adding tolerance"),
                    Evidence.of("quorum_size", quorumSize, "standalone", standalone, "tolerated_failures", tolerated));
        }
    }

    /**
     * How far each serving member's last zxid is behind the leader's, as metrics (transactions, within the leader's
     * epoch), and the leader's count of synced followers; returns that count, or -1 when the leader's mntr has none.
     * A follower that stops acknowledging for syncLimit ticks is dropped by the leader and stops serving, so a lag
     * seen here is momentary (writes in flight between the readings); a member really behind shows as
     * MEMBER_NOT_SERVING while it synchronises, or as MEMBER_DOWN when it hangs.
     */
    private static long zxidSpread(List<MemberReply> members, String leader, List<String> serving, Evaluation.Builder out) {
        MemberReply lead = members.stream().filter(m -> m.member().equals(leader)).findFirst().orElseThrow();
        long leaderZxid = zxid(lead);
        if (leaderZxid >= 0) {
            out.metric(Metric.of("zookeeper_leader_epoch", leaderZxid >>> 32, ""));
            for (MemberReply m : members) {
                long z = zxid(m);
                if (z >= 0 && serving.contains(m.member()) && (z >>> 32) == (leaderZxid >>> 32)) {
                    out.metric(new Metric("zookeeper_member_zxid_lag", Math.max(0, (leaderZxid & 0xffffffffL)
                            - (z & 0xffffffffL)), "", Map.of("member", m.member()), null, null));
                }
            }
        }
        Mntr mntr = Mntr.parse(lead.mntr());
        long synced = mntr == null ? -1 : (long) mntr.number("zk_synced_followers");
        if (synced >= 0) {
            out.metric(Metric.of("zookeeper_synced_followers", synced, ""));
        }
        return synced;
    }

    /** srvr's {@code Zxid: 0x500000012} as a number (epoch in the high 32 bits), or -1. */
    static long zxid(MemberReply m) {
        String z = m.srvrField("Zxid");
        if (z == null || !z.startsWith("0x")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(z.substring(2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
