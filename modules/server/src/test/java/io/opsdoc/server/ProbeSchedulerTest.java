package io.opsdoc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission without any network: slots, turns between servers, queue bounds, deadlines, withdrawal. */
class ProbeSchedulerTest {
    private static final long FAR = TimeUnit.SECONDS.toNanos(60);
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();

    private ProbeScheduler.Ticket submit(ProbeScheduler s, String server, String name, long deadlineFromNow) {
        return s.submit(server, System.nanoTime() + deadlineFromNow, t -> started.add(name), r -> rejected.add(name + ":" + r.reason().label));
    }

    @Test
    void aFreedSlotGoesToTheNextServerInTurnNotToTheOldestRequest() {
        try (ProbeScheduler s = new ProbeScheduler(new ProbeScheduler.Limits(1, 1, 100, 100))) {
            ProbeScheduler.Ticket a1 = submit(s, "hung", "a1", FAR);
            ProbeScheduler.Ticket a2 = submit(s, "hung", "a2", FAR);
            submit(s, "hung", "a3", FAR);
            submit(s, "hung", "a4", FAR);
            ProbeScheduler.Ticket b1 = submit(s, "healthy", "b1", FAR);
            assertThat(started).containsExactly("a1");
            assertThat(s.running()).isEqualTo(1);
            assertThat(s.queued()).isEqualTo(4);
            a1.release();
            assertThat(started).as("b1 came after a2, a3 and a4, but its server's turn is next").containsExactly("a1", "b1");
            a1.release(); // a second release of the same ticket changes nothing
            assertThat(s.running()).isEqualTo(1);
            a2.release(); // not started yet: nothing to give back
            assertThat(s.running()).isEqualTo(1);
            b1.release();
            assertThat(started).containsExactly("a1", "b1", "a2");
        }
    }

    @Test
    void perServerSlotsLeaveTheOthersFree() {
        try (ProbeScheduler s = new ProbeScheduler(new ProbeScheduler.Limits(8, 2, 100, 100))) {
            for (int i = 0; i < 5; i++) {
                submit(s, "hung", "h" + i, FAR);
            }
            submit(s, "healthy", "ok", FAR);
            assertThat(started).containsExactly("h0", "h1", "ok");
            assertThat(s.queued()).isEqualTo(3);
        }
    }

    @Test
    void aFullQueueIsAnsweredAtOnce() {
        try (ProbeScheduler s = new ProbeScheduler(new ProbeScheduler.Limits(1, 1, 3, 2))) {
            submit(s, "a", "a0", FAR);
            submit(s, "a", "a1", FAR);
            submit(s, "a", "a2", FAR);
            submit(s, "a", "a3", FAR);
            assertThat(rejected).containsExactly("a3:queue_full");
            submit(s, "b", "b0", FAR);
            submit(s, "c", "c0", FAR);
            assertThat(rejected).as("3 wait in all").containsExactly("a3:queue_full", "c0:queue_full");
        }
    }

    @Test
    void aProbeThatCannotStartInTimeIsRejectedAtItsDeadlineAndNeverStarts() throws Exception {
        try (ProbeScheduler s = new ProbeScheduler(new ProbeScheduler.Limits(1, 1, 10, 10))) {
            ProbeScheduler.Ticket busy = submit(s, "a", "a0", FAR);
            CompletableFuture<ProbeScheduler.Rejection> why = new CompletableFuture<>();
            long t0 = System.nanoTime();
            s.submit("a", t0 + TimeUnit.MILLISECONDS.toNanos(300), t -> started.add("late"), why::complete);
            ProbeScheduler.Rejection r = why.get(10, TimeUnit.SECONDS);
            assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.DEADLINE);
            assertThat(r.why()).contains("not started");
            assertThat(System.nanoTime() - t0).as("answered at its deadline (give or take a loaded machine), not when a slot frees")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            busy.release();
            assertThat(started).containsExactly("a0");
            assertThat(s.queued()).isZero();
            assertThat(s.running()).isZero();
        }
    }

    @Test
    void aWithdrawnProbeLeavesTheQueue() {
        try (ProbeScheduler s = new ProbeScheduler(new ProbeScheduler.Limits(1, 1, 10, 10))) {
            ProbeScheduler.Ticket busy = submit(s, "a", "a0", FAR);
            ProbeScheduler.Ticket gone = submit(s, "a", "a1", FAR);
            submit(s, "a", "a2", FAR);
            assertThat(gone.withdraw()).isTrue();
            assertThat(gone.withdraw()).isFalse();
            assertThat(busy.withdraw()).as("a running probe cannot be withdrawn").isFalse();
            busy.release();
            assertThat(started).containsExactly("a0", "a2");
            assertThat(rejected).isEmpty();
        }
    }
}
