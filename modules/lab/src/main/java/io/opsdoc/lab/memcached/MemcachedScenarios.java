package io.opsdoc.lab.memcached;

import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/** memcached 1.6 (Debian) with 8 MiB and 512 connections, crowded, overfilled and asked for absent keys. */
public final class MemcachedScenarios implements ScenarioSet<MemcachedLab> {
    private static final String CHECK = "memcached-stats";

    @Override
    public String system() {
        return "memcached";
    }

    @Override
    public String description() {
        return "memcached 1.6 from Debian: -m 8 -c 512 -o no_maxconns_fast";
    }

    @Override
    public List<LabVariant<MemcachedLab>> variants() {
        return List.of(new LabVariant<>("1.6", MemcachedLab::unavailable, MemcachedLab::start, MemcachedLab::shared));
    }

    @Override
    public List<Scenario<MemcachedLab>> scenarios() {
        return List.of(
                stats("memcached-healthy", "an idle cache: no gets, so no hit ratio to judge, nothing evicted").healthy()
                        .metrics("memcached_connections", "memcached_evictions_in_window").build(),
                stats("memcached-connections-near-max", "an application pool holds 440 idle connections of 512")
                        .holds(lab -> lab.holdConnections(440))
                        .expect(code("CONNECTIONS_NEAR_MAX").severity(WARNING).evidence("maxconns", 512)
                                .says("of 512 connections in use"))
                        .absent("LISTEN_DISABLED").build(),
                stats("memcached-listen-disabled", "clients open connections past maxconns in bursts, twice a second")
                        .holds(MemcachedLab::connectionBursts)
                        .expect(code("LISTEN_DISABLED").severity(WARNING).positive("listen_disabled_in_window")
                                .says("stopped accepting new connections")).build(),
                stats("memcached-evicting", "a writer stores 100 KB values under new keys into 8 MiB")
                        .holds(MemcachedLab::overfill)
                        .expect(code("EVICTING").severity(WARNING).positive("evictions_in_window").says("-m"))
                        .absent("HIT_RATIO_LOW").build(),
                stats("memcached-hit-ratio-low", "a reader asks for keys nobody stored, hundreds a second")
                        .holds(MemcachedLab::readAbsentKeys)
                        .expect(code("HIT_RATIO_LOW").severity(WARNING).evidence("hit_ratio_percent", 0)
                                .says("found their key"))
                        .absent("EVICTING").build());
    }

    private static Scenario.Builder<MemcachedLab> stats(String id, String story) {
        return Scenario.<MemcachedLab>of(id, story).target(MemcachedLab::target).checks(CHECK).param("window", "2s")
                .timeout(Duration.ofSeconds(15));
    }
}
