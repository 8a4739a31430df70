package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.NginxStatusCode.CLIENT_KEEPALIVE_OFF;
import static io.opsdoc.checks.edge.NginxStatusCode.UPSTREAM_NO_KEEPALIVE;
import static io.opsdoc.checks.edge.NginxStatusCode.WORKERS_NE_CPUS;
import static io.opsdoc.checks.edge.NginxStatusCode.WORKER_CONNECTIONS_OVER_FD_LIMIT;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.Severity;

/** nginx-status's judgement of the configuration facts: pure, facts in, findings and metrics out. */
final class NginxTuningRules {
    private NginxTuningRules() {
    }

    static void evaluate(NginxTuningFacts t, Evaluation.Builder out) {
        int workers = t.workers();
        out.metric(Metric.of("nginx_worker_processes", workers, ""));
        out.metric(Metric.of("nginx_worker_connections", t.workerConnections(), ""));
        Evidence where = Evidence.of("worker_processes", t.workerProcesses(), "workers", workers, "cpus", t.cpus(),
                "config", t.configFile());
        if (workers > t.cpus()) {
            out.finding(WORKERS_NE_CPUS, Severity.WARNING, "worker_processes " + t.workerProcesses() + " on "
                    + t.cpus() + " CPU(s): the extra workers do not add capacity, they take turns on the same CPUs "
                    + "(context switches, uneven accept); use worker_processes auto", where);
        } else if (workers < t.cpus()) {
            out.finding(WORKERS_NE_CPUS, Severity.INFO, "worker_processes " + t.workerProcesses() + " on "
                    + t.cpus() + " CPU(s): under CPU-heavy load (TLS, gzip) " + (t.cpus() - workers)
                    + " CPU(s) stay idle for nginx; fine if the host is shared on purpose, else use auto", where);
        }
        Long fd = t.workerFdLimit();
        if (fd != null) {
            if (fd != Long.MAX_VALUE) {
                out.metric(Metric.of("nginx_worker_fd_limit", fd, ""));
            }
            if (t.workerConnections() > fd) {
                String source = t.rlimitNofile() != null ? "worker_rlimit_nofile" : t.masterFdWhy();
                out.finding(WORKER_CONNECTIONS_OVER_FD_LIMIT, Severity.WARNING, "worker_connections "
                        + t.workerConnections() + " but each worker may open only " + fd + " files (" + source
                        + "): past that accept() fails with 'Too many open files' and connections are refused long "
                        + "before the slots run out; set worker_rlimit_nofile to at least twice worker_connections "
                        + "(a proxied request holds two descriptors)", Evidence.of("worker_connections",
                                t.workerConnections(), "fd_limit", fd, "fd_limit_source", source,
                                "worker_rlimit_nofile", t.rlimitNofile() == null ? "not set" : t.rlimitNofile(),
                                "config", t.configFile()));
            }
        }
        for (String ctx : t.keepaliveOff()) {
            out.finding(CLIENT_KEEPALIVE_OFF, Severity.WARNING, "keepalive_timeout 0 in " + ctx + ": nginx closes "
                    + "every client connection after one response, so each request pays a new TCP handshake (and a "
                    + "TLS one) and leaves a TIME_WAIT socket; 15-75s is usual", Evidence.of("context", ctx,
                            "keepalive_timeout", "0", "config", t.configFile()), ctx);
        }
        for (NginxTuningFacts.Upstream u : t.upstreams()) {
            if (u.keepalive() == null) {
                out.finding(UPSTREAM_NO_KEEPALIVE, Severity.WARNING, "upstream " + u.name() + " (" + u.servers()
                        + " server(s)) has no keepalive: nginx opens a new connection to the upstream for every "
                        + "proxied request and closes it after, piling TIME_WAIT sockets on this host and risking "
                        + "ephemeral port exhaustion under load; add 'keepalive 16;' to the upstream with "
                        + "proxy_http_version 1.1 and proxy_set_header Connection \"\"", Evidence.of("upstream",
                                u.name(), "servers", u.servers(), "keepalive", "not set", "config", t.configFile()),
                        u.name());
            } else if (!t.proxyHttp11()) {
                out.finding(UPSTREAM_NO_KEEPALIVE, Severity.WARNING, "upstream " + u.name() + " has keepalive "
                        + u.keepalive() + " but proxy_http_version 1.1 is set nowhere: nginx proxies with HTTP/1.0 and "
                        + "'Connection: close' by default, so the idle-connection cache is never used",
                        Evidence.of("upstream", u.name(), "keepalive", u.keepalive(), "proxy_http_version",
                                "1.0 (default)", "config", t.configFile()), u.name());
            }
        }
    }
}
