package io.opsdoc.lab.redis;

import static io.opsdoc.core.Severity.UNKNOWN;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * redis-host-tuning against a Redis 7 host of the lab's own ({@link RedisHostLab}): Redis in a network namespace,
 * read over its protocol, and that namespace's kernel settings read over SSH into it.
 */
public final class RedisHostScenarios implements ScenarioSet<RedisHostLab> {
    static final String CHECK = "redis-host-tuning";
    private static final String MACHINE_WIDE = "machine-wide kernel setting (not per network namespace); changing it "
            + "would affect every other process on this shared test machine, so the lab only reads it; decided on "
            + "recorded file contents in RedisHostTuningRecordedFactsTest";

    @Override
    public String system() {
        return "redis-host";
    }

    @Override
    public String description() {
        return "a network namespace with sshd and a Redis 7 server in it (~1 s)";
    }

    @Override
    public List<LabVariant<RedisHostLab>> variants() {
        return List.of(new LabVariant<>("7", RedisHostLab::unavailable, RedisHostLab::start, RedisHostLab::shared));
    }

    @Override
    public List<Scenario<RedisHostLab>> scenarios() {
        return List.of(
                // THP and overcommit are this machine's (whatever it has would decide): read and shown as metrics,
                // not judged, as on a managed node whose kernel is not the Redis owner's
                host("redis-host-tuned", "Redis on a host whose somaxconn fits tcp-backlog, with room to fork; the "
                        + "node's machine-wide memory settings are someone else's (kernel-memory=false)")
                        .param("kernel-memory", "false").healthy()
                        .metrics("somaxconn", "tcp_backlog", "fork_memory_share_percent", "vm_overcommit_memory").build(),
                host("redis-host-low-somaxconn", "net.core.somaxconn 128 in Redis's network namespace, tcp-backlog 511")
                        .param("kernel-memory", "false").breaks(RedisHostLab::somaxconnBelowBacklog)
                        .expect(code("SOMAXCONN_BELOW_TCP_BACKLOG").severity(WARNING)
                                .evidence("net.core.somaxconn", 128).evidence("tcp-backlog", 511))
                        .absent("NO_FORK_HEADROOM").build(),
                host("redis-host-no-fork-headroom", "maxmemory 60 % of the machine's memory, RDB snapshots on")
                        .param("kernel-memory", "false").breaks(RedisHostLab::maxmemoryLeavesNoForkHeadroom)
                        .expect(code("NO_FORK_HEADROOM").severity(WARNING).evidence("share_percent", 60)
                                .says("RDB snapshots"))
                        .absent("SOMAXCONN_BELOW_TCP_BACKLOG").build(),
                host("redis-host-key-changed", "the Redis host's SSH key differs from known_hosts (reinstalled?)")
                        .param("host", RedisHostLab::hostWithChangedKey)
                        .expect(code("SSH_HOST_KEY_CHANGED").severity(UNKNOWN)).build(),
                host("redis-host-key-unknown", "the Redis host's SSH key is not in known_hosts")
                        .param("host", RedisHostLab::hostWithUnknownKey)
                        .expect(code("SSH_HOST_KEY_UNKNOWN").severity(UNKNOWN)).build());
    }

    @Override
    public Map<String, String> recordedFactsOnly() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CHECK + "#THP_ENABLED", "Transparent Huge Pages: " + MACHINE_WIDE);
        m.put(CHECK + "#OVERCOMMIT_DISABLED", "vm.overcommit_memory: " + MACHINE_WIDE);
        return m;
    }

    private static Scenario.Builder<RedisHostLab> host(String id, String story) {
        return Scenario.<RedisHostLab>of(id, story).checks(CHECK).target(RedisHostLab::uri)
                .password(RedisHostLab::monitorPassword).param("host", RedisHostLab::hostParameter);
    }
}
