package io.opsdoc.lab.host;

import static io.opsdoc.core.Severity.CRITICAL;
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
                HostScenarios.host("net-traffic-healthy", "the lab's veth pair with matching MTUs: no drops, no errors "
                        + "in 1 s").checks("linux-net-traffic").param("window", "1s")
                        .param("interfaces", HostLab::netInterface).healthy()
                        .metrics("nic_drops_in_window", "nic_errors_in_window").build(),
                HostScenarios.host("nic-mtu-drops", "the far end of a veth pair takes 1280-byte frames, the host sends "
                        + "1400-byte datagrams over it").checks("linux-net-traffic").param("window", "2s")
                        .param("interfaces", HostLab::netInterface).holds(HostLab::mtuDrops)
                        .expect(code("NIC_DROPS").severity(WARNING).evidence("direction", "packets to send dropped")
                                .positive("tx_drop").says("MTU"))
                        .absent("NIC_ERRORS").build(),
                netns("ip-forward-on", "a namespace that routes, as a container host must: ip_forward 1")
                        .checks("linux-ip-forward").breaks(lab -> lab.netnsSysctls("net.ipv4.ip_forward", "1"))
                        .healthy().metrics("ip_forward").build(),
                netns("ip-forward-off", "a container host whose ip_forward was reset to 0 (a sysctl.d file, a "
                        + "hardening script)").checks("linux-ip-forward")
                        .breaks(lab -> lab.netnsSysctls("net.ipv4.ip_forward", "0"))
                        .expect(code("IP_FORWARD_DISABLED").severity(CRITICAL).evidence("net.ipv4.ip_forward", "0")
                                .says("ip_forward is 0")).build(),
                netns("ip-forward-unexpected", "a host that must not route has ip_forward 1")
                        .checks("linux-ip-forward").param("expected", "false")
                        .breaks(lab -> lab.netnsSysctls("net.ipv4.ip_forward", "1"))
                        .expect(code("IP_FORWARD_ENABLED").severity(WARNING).evidence("net.ipv4.ip_forward", "1"))
                        .build(),
                netns("keepalive-tuned", "tcp_keepalive_time lowered to 300 s, below the path's idle timeouts")
                        .checks("tcp-keepalive-config")
                        .breaks(lab -> lab.netnsSysctls("net.ipv4.tcp_keepalive_time", "300")).healthy()
                        .metrics("tcp_keepalive_time_seconds", "tcp_keepalive_dead_peer_seconds").build(),
                netns("keepalive-default", "tcp_keepalive_time at the kernel's 7200 s").checks("tcp-keepalive-config")
                        .breaks(lab -> lab.netnsSysctls("net.ipv4.tcp_keepalive_time", "7200",
                                "net.ipv4.tcp_keepalive_intvl", "75", "net.ipv4.tcp_keepalive_probes", "9"))
                        .expect(code("KEEPALIVE_DEFAULT_2H").severity(WARNING).evidence("dead_peer_seconds", 7875)
                                .says("7875 s")).build(),
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

    /**
     * A scenario on the lab's network namespace through the sshd started inside it: net.* sysctls are per namespace,
     * so changing them there is a real fault that leaves the host alone; only over SSH (no local: path reaches them).
     */
    private static Scenario.Builder<HostLab> netns(String id, String story) {
        return HostScenarios.host(id, story).target(HostLab::netnsTarget).onlyOn(HostLab.SSH);
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
        m.put("linux-net-traffic#NIC_ERRORS", "receive and transmit errors (CRC, frame, FIFO, carrier) come from NIC "
                + "hardware and drivers; veth and loopback, all this lab has, never count them; decided on recorded "
                + "/proc/net/dev in LinuxNetTrafficRecordedFactsTest");
        m.put("linux-conntrack#CONNTRACK_NEAR_FULL", conntrack);
        m.put("linux-conntrack#CONNTRACK_DROPS", conntrack);
        return m;
    }
}
