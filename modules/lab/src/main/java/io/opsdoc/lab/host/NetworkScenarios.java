package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host scenarios of CPU time, TCP states and queues, conntrack and threads (part of {@link HostScenarios}: the
 * same lab, both variants). Each fault is the lab's own processes or sockets on loopback, so local: and ssh:// see
 * the same kernel facts.
 */
final class NetworkScenarios {
    private NetworkScenarios() {
    }

    static List<Scenario<HostLab>> scenarios() {
        return List.of(
                HostScenarios.host("cpu-read", "the CPU split read over a 1 s window; busy and pressure thresholds above "
                        + "anything this shared machine reaches, iowait and steal at their defaults")
                        .checks("linux-cpu").param("window", "1s").param("busy-warning", "100%")
                        .param("pressure-warning", "100%").healthy()
                        .metrics("cpu_busy_percent", "cpu_iowait_percent", "cpu_steal_percent").build(),
                HostScenarios.host("cpu-burners", "four busy loops on this 2-CPU machine: every CPU busy, tasks queue "
                        + "for them").checks("linux-cpu").param("window", "2s").holds(lab -> lab.cpuBurners(4))
                        .expect(code("CPU_BUSY").severity(WARNING).positive("busy_percent").says("busy during"))
                        .expect(code("CPU_SATURATED").severity(WARNING).positive("pressure_some_percent")
                                .says("waited for a CPU"))
                        .absent("STEAL_HIGH").build(),
                HostScenarios.host("tcp-states-healthy", "the machine's own connections: no CLOSE_WAIT pile, TIME_WAIT "
                        + "far from the port range").checks("linux-tcp-states").healthy()
                        .metrics("tcp_sockets", "local_port_range_size").build(),
                HostScenarios.host("close-wait-leak", "a server accepted 120 connections; the clients closed them, the "
                        + "server never does").checks("linux-tcp-states").holds(lab -> lab.closeWait(120))
                        .expect(code("CLOSE_WAIT_LEAK").severity(WARNING).positive("close_wait_total")
                                .says("local port", "never called close()"))
                        .absent("TIME_WAIT_EXHAUSTION").build(),
                HostScenarios.host("time-wait", "a client opened and closed 400 connections to one port, closing first "
                        + "each time (warning lowered to 1% of the port range: 283 ports)").checks("linux-tcp-states")
                        .param("time-wait-percent", "1%").holds(lab -> lab.timeWait(400))
                        .expect(code("TIME_WAIT_EXHAUSTION").severity(WARNING).positive("largest")
                                .says("EADDRNOTAVAIL"))
                        .build(),
                HostScenarios.host("tcp-queues-healthy", "a listener that accepts at once is not full; the host-wide "
                        + "overflow counters are read, their threshold above what other tests on this shared machine "
                        + "cause with listeners of their own").checks("linux-tcp-queues").param("window", "1s")
                        .param("ports", HostLab::healthyListenerPort).param("overflows", "1000000").healthy()
                        .metrics("listen_overflows_in_window", "listen_overflows_total").build(),
                HostScenarios.host("accept-queue-overflow", "a listener with backlog 1 never calls accept() while a "
                        + "client connects every 50 ms").checks("linux-tcp-queues").param("window", "2s")
                        .holds(HostLab::acceptQueueOverflow)
                        .expect(code("ACCEPT_QUEUE_OVERFLOW").severity(WARNING).positive("ListenOverflows_delta")
                                .says("accept queue was full"))
                        .expect(code("LISTEN_QUEUE_FULL").severity(WARNING).says("backlog 1", "accept()")).build(),
                HostScenarios.host("conntrack-healthy", "the conntrack table far from nf_conntrack_max, no drops in 1 s")
                        .checks("linux-conntrack").param("window", "1s").healthy()
                        .metrics("conntrack_entries_limit", "conntrack_drops_in_window").build(),
                HostScenarios.host("threads-healthy", "a process with 10 threads in a cgroup limited to 320 tasks")
                        .checks("linux-process-threads").param("processes", "opsdoc-threads")
                        .holds(lab -> lab.threads(10, 320)).healthy().metrics("process_threads", "threads_max").build(),
                HostScenarios.host("threads-high", "a process started 300 threads in a cgroup limited to 320 tasks")
                        .checks("linux-process-threads").param("processes", "opsdoc-threads")
                        .param("threads-warning", "200").holds(lab -> lab.threads(300, 320))
                        .expect(code("THREADS_HIGH").severity(WARNING).evidence("threads", 300L)
                                .says("(opsdoc-threads) runs 300 threads"))
                        .expect(code("PIDS_LIMIT_NEAR").severity(WARNING).evidence("pids_max", 320L).says("pids.max 320"))
                        .build());
    }

    static Map<String, String> recordedFactsOnly() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("linux-cpu#IOWAIT_HIGH", "iowait counts only CPUs left idle while I/O is outstanding: on this shared, "
                + "busy 2-CPU machine other work fills that idle time, and slowing a real disk would slow everyone; "
                + "decided on recorded /proc/stat in LinuxCpuRecordedFactsTest");
        m.put("linux-cpu#STEAL_HIGH", "steal is time the hypervisor gives to other guests: nothing inside this guest "
                + "can cause it; decided on recorded /proc/stat");
        String conntrack = "nf_conntrack_max is a host-wide sysctl here (262144), and a network namespace's own table "
                + "cannot be read honestly through local:?proc=/proc/PID: /proc/PID has net/stat/nf_conntrack but no "
                + "sys/, so the count and max would come from the host while the drops came from the namespace; "
                + "filling the host's table or lowering its max would break the shared machine; decided on recorded "
                + "facts in LinuxConntrackRecordedFactsTest";
        m.put("linux-conntrack#CONNTRACK_NEAR_FULL", conntrack);
        m.put("linux-conntrack#CONNTRACK_DROPS", conntrack);
        return m;
    }
}
