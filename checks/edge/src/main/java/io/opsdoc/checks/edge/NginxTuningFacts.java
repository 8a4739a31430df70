package io.opsdoc.checks.edge;

import java.util.List;

/**
 * What nginx-status reads from nginx's configuration and its master process when {@code config-file} is given.
 *
 * @param workerProcesses   worker_processes as written ("auto", a number; "1" when absent, nginx's default)
 * @param cpus              CPUs online on this host (/sys/devices/system/cpu/online), what {@code auto} uses
 * @param workerConnections worker_connections (512 when absent, nginx's default)
 * @param rlimitNofile      worker_rlimit_nofile, null when not set (the workers then keep the master's limit)
 * @param masterFdLimit     soft "Max open files" of the master (/proc/PID/limits), null when not readable
 * @param masterFdWhy       where masterFdLimit came from, or why it is missing
 * @param keepaliveOff      contexts with keepalive_timeout 0, e.g. "server 127.0.0.1:8080"
 * @param upstreams         upstream {} blocks that proxy_pass sends to
 * @param proxyHttp11       whether proxy_http_version 1.1 is set anywhere (upstream keepalive needs it)
 */
public record NginxTuningFacts(String configFile, String workerProcesses, int cpus, int workerConnections,
        Integer rlimitNofile, Long masterFdLimit, String masterFdWhy, List<String> keepaliveOff,
        List<Upstream> upstreams, boolean proxyHttp11) {

    /** An upstream {} block used by proxy_pass; {@code keepalive} is null without a keepalive directive. */
    public record Upstream(String name, int servers, Integer keepalive) {
    }

    /** The number of workers nginx runs with this configuration. */
    public int workers() {
        if (workerProcesses.equals("auto")) {
            return cpus;
        }
        try {
            return Integer.parseInt(workerProcesses);
        } catch (NumberFormatException e) {
            return 1; // nginx -t rejects anything else
        }
    }

    /** The descriptor limit each worker has: worker_rlimit_nofile, else the master's, else null (unknown). */
    public Long workerFdLimit() {
        return rlimitNofile != null ? Long.valueOf(rlimitNofile) : masterFdLimit;
    }
}
