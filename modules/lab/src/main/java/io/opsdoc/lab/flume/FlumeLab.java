package io.opsdoc.lab.flume;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Apache Flume 1.11 agent (a child JVM, see {@link LabFlumeAgent}) fed by the lab at about 20 events a second
 * over its http source, delivering through its avro sink to a next hop the lab controls. Faults: the next hop goes
 * away (the sink's connections fail, the channel fills), the channel is filled to its capacity while the next hop is
 * away, the application stops sending (the sources see no events). {@link #heal()} feeds again, brings the next hop
 * back and waits until the sink has drained the channel.
 */
public final class FlumeLab implements Lab {
    static final Duration READY = Duration.ofSeconds(60);
    /** The steady feed: this many events every {@link #FEED_EVERY_MS} ms, about 20 a second. */
    static final int FEED_EVENTS = 5;
    static final long FEED_EVERY_MS = 250;
    private static FlumeLab shared;

    private final Path dir;
    private final NextHop nextHop;
    private final LabFlumeAgent agent;
    private final ScheduledExecutorService feeder;
    private final AtomicBoolean feeding = new AtomicBoolean(true);

    private FlumeLab(Path dir, NextHop nextHop, LabFlumeAgent agent) {
        this.dir = dir;
        this.nextHop = nextHop;
        this.agent = agent;
        this.feeder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flume-lab-feeder");
            t.setDaemon(true);
            return t;
        });
    }

    /** Null when the lab can run here, else why not. */
    public static String unavailable() {
        return FlumeRuntime.unavailable();
    }

    public static synchronized FlumeLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static FlumeLab start() {
        long t0 = System.nanoTime();
        Path runtime = FlumeRuntime.find().orElseThrow(() -> new IllegalStateException(FlumeRuntime.unavailable()));
        Path dir = LabFiles.tempDir("opsdoc-flume-lab-");
        // the in-JVM relay binds first; the agent's ports are picked after, so none of them can be the relay's
        NextHop hop = new NextHop();
        int[] ports = Ports.freePorts(3);
        hop.relayTo(ports[2]);
        LabFlumeAgent agent;
        try {
            agent = LabFlumeAgent.start(runtime, dir, ports, hop.port());
        } catch (RuntimeException e) {
            hop.close();
            LabFiles.deleteRecursively(dir);
            throw e;
        }
        FlumeLab lab = new FlumeLab(dir, hop, agent);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "flume-lab-cleanup"));
        try {
            lab.feeder.scheduleWithFixedDelay(lab::feed, 0, FEED_EVERY_MS, TimeUnit.MILLISECONDS);
            // every component registered, and events delivered end to end (the sink's first connect may fail while
            // the collector side's avro source is still binding; it retries after 5 s)
            lab.await("the agent up and delivering", () -> {
                JsonNode m = agent.metrics();
                return m != null && List.of("SOURCE.r1", "CHANNEL.c1", "SINK.k1", "SOURCE.r2", "CHANNEL.c2").stream()
                        .allMatch(m::has) && LabFlumeAgent.counter(m, "SINK.k1", "EventDrainSuccessCount") > 0
                        && LabFlumeAgent.counter(m, "SOURCE.r2", "EventAcceptedCount") > 0;
            });
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        System.out.printf("flume lab: agent up and delivering in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return lab;
    }

    private void feed() {
        if (feeding.get()) {
            agent.post(FEED_EVENTS); // 503 while the channel is full: the application's retry is not modelled
        }
    }

    /** flume://127.0.0.1:PORT: the agent's HTTP monitoring server. */
    public String target() {
        return agent.target();
    }

    // ---- faults ----

    /**
     * The next hop goes away (its connections cut, new ones refused), as when the downstream agent crashes: the avro
     * sink's deliveries and reconnects fail while the feed goes on, so the channel fills. Returns once the sink has
     * failed and the channel holds undelivered events.
     */
    public void nextHopDown() {
        long failures = failures();
        nextHop.refuse();
        await("the avro sink failing and the channel filling", () -> failures() > failures
                && agent.counter("CHANNEL.c1", "ChannelSize") > 0);
    }

    /**
     * The next hop is away and a burst arrives: events are posted until the http source answers 503 (the channel
     * cannot take them). Returns once the channel reports itself 100 % full.
     */
    public void channelFull() {
        nextHopDown();
        AtomicBoolean refused = new AtomicBoolean();
        await("the channel full and the http source refusing", () -> {
            if (agent.post(LabFlumeAgent.TRANSACTION) == 503) {
                refused.set(true);
            }
            return refused.get() && agent.counter("CHANNEL.c1", "ChannelSize") >= LabFlumeAgent.CAPACITY;
        });
    }

    /** The application stops sending; returns once the sink has drained what was in the channel. */
    public void stopFeeding() {
        feeding.set(false);
        await("the channel drained after the feed stopped", () -> {
            long before = agent.counter("SOURCE.r1", "EventAcceptedCount");
            return agent.counter("CHANNEL.c1", "ChannelSize") == 0 && agent.counter("CHANNEL.c2", "ChannelSize") == 0
                    && agent.counter("SOURCE.r1", "EventAcceptedCount") == before;
        });
    }

    private long failures() {
        JsonNode m = agent.metrics();
        return Math.max(0, LabFlumeAgent.counter(m, "SINK.k1", "ConnectionFailedCount"))
                + Math.max(0, LabFlumeAgent.counter(m, "SINK.k1", "EventWriteFail"));
    }

    // ---- healing ----

    @Override
    public synchronized void heal() {
        feeding.set(true);
        nextHop.accept();
        long drained = agent.counter("SINK.k1", "EventDrainSuccessCount");
        // the sink retries 5 s after its last failure; then it drains the channel in batches of 100
        await("the sink delivering again and the channel drained", () -> {
            JsonNode m = agent.metrics();
            return LabFlumeAgent.counter(m, "SINK.k1", "EventDrainSuccessCount") > drained
                    && LabFlumeAgent.counter(m, "CHANNEL.c1", "ChannelSize") < LabFlumeAgent.TRANSACTION;
        });
    }

    private void await(String what, Callable<Boolean> condition) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await(what).atMost(READY).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread().until(() -> {
                        String problem = agent.problem();
                        if (problem != null) {
                            throw new IllegalStateException(problem);
                        }
                        JsonNode m = agent.metrics();
                        last.set(m == null ? "(no metrics)" : m.toString());
                        return condition.call();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + ": not within " + READY.toSeconds() + " s; metrics " + last.get()
                    + "; agent log: " + agent.log(), e);
        }
    }

    @Override
    public String where() {
        return "Flume 1.11 agent a1, monitoring " + agent.target() + ", http source " + agent.sourceUri()
                + ", next hop 127.0.0.1:" + nextHop.port() + (nextHop.refusing() ? " (refusing)" : "");
    }

    @Override
    public synchronized void close() {
        feeder.shutdownNow();
        agent.close();
        nextHop.close();
        LabFiles.deleteRecursively(dir);
    }
}
