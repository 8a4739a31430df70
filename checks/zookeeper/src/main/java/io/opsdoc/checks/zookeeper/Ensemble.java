package io.opsdoc.checks.zookeeper;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every member of a {@code zk://h1:2181,h2:2181,h3:2181} target {@code srvr} and then {@code mntr}, members in
 * parallel (at most {@link #MAX_PARALLEL} at once) so one black-holed member does not use up the others' time.
 * Four-letter words are read-only and need no login.
 */
final class Ensemble {
    static final int DEFAULT_PORT = 2181;
    static final int MAX_PARALLEL = 8;
    static final int MAX_MEMBERS = 64;

    private Ensemble() {
    }

    static void validate(Target target) {
        if (target.hosts().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no member; expected zk://h1:2181,h2:2181,h3:2181");
        }
        if (target.hosts().size() > MAX_MEMBERS) {
            throw new UsageException("target " + target.display() + " names " + target.hosts().size()
                    + " members; a ZooKeeper ensemble has at most a handful (limit " + MAX_MEMBERS + ")");
        }
    }

    /**
     * Every member's answers. Throws when no member answered at all: then there is nothing to judge and the reason
     * (refused, timeout, not ZooKeeper) is the first member's.
     */
    static EnsembleFacts ask(CheckContext context, boolean withMntr) throws ProbeException, InterruptedException {
        List<Target.HostPort> members = context.target().hosts().stream()
                .map(h -> new Target.HostPort(h.host(), h.portOr(DEFAULT_PORT))).toList();
        // a little of the deadline is kept for evaluating and writing the report
        Duration left = context.remaining();
        Duration reserve = left.dividedBy(10).compareTo(Duration.ofMillis(300)) < 0 ? left.dividedBy(10) : Duration.ofMillis(300);
        Instant deadline = Instant.now().plus(left.minus(reserve));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, members.size()), r -> {
            Thread t = new Thread(r, "zk-4lw");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<MemberReply>> futures = new ArrayList<>();
            for (Target.HostPort m : members) {
                futures.add(pool.submit(() -> askOne(m, withMntr, deadline)));
            }
            List<MemberReply> replies = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                long ms = Math.max(1, Duration.between(Instant.now(), deadline).toMillis() + 200);
                try {
                    replies.add(futures.get(i).get(ms, TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    replies.add(new MemberReply(members.get(i).toString(), null, null, ProbeErrors.TIMEOUT.code(),
                            "no answer from " + members.get(i) + " before the deadline"));
                } catch (ExecutionException e) {
                    replies.add(new MemberReply(members.get(i).toString(), null, null, ProbeErrors.PROBE_FAILED.code(),
                            String.valueOf(e.getCause())));
                }
            }
            if (replies.stream().allMatch(MemberReply::down)) {
                MemberReply first = replies.get(0);
                String all = replies.size() == 1 ? first.error() : "no member answered: " + String.join("; ",
                        replies.stream().map(r -> r.member() + ": " + r.error()).toList());
                throw new ProbeException(code(first.errorCode()), all);
            }
            return new EnsembleFacts(replies);
        } finally {
            pool.shutdownNow();
        }
    }

    private static MemberReply askOne(Target.HostPort m, boolean withMntr, Instant deadline) {
        String srvr;
        try {
            srvr = FourLetterWord.ask(m, "srvr", deadline);
            if (!srvr.contains("Zookeeper version:") && !srvr.contains(FourLetterWord.NOT_SERVING)
                    && !srvr.contains(FourLetterWord.NOT_WHITELISTED)) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, m + " answered 'srvr' with text that is not "
                        + "ZooKeeper's: " + firstLine(srvr));
            }
        } catch (ProbeException e) {
            return new MemberReply(m.toString(), null, null, e.code().code(), e.getMessage());
        }
        String mntr = null;
        if (withMntr) {
            try {
                mntr = FourLetterWord.ask(m, "mntr", deadline);
            } catch (ProbeException e) {
                // srvr answered a moment ago: a member dying between the two words is still judged by its srvr
                mntr = null;
            }
        }
        return new MemberReply(m.toString(), srvr, mntr, null, null);
    }

    private static io.opsdoc.core.FindingCode code(String name) {
        return ProbeErrors.ALL.stream().filter(c -> c.code().equals(name)).findFirst().orElse(ProbeErrors.PROBE_FAILED);
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        t = nl >= 0 ? t.substring(0, nl) : t;
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }
}
