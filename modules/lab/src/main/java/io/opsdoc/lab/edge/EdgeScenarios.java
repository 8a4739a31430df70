package io.opsdoc.lab.edge;

import static io.opsdoc.core.Severity.CRITICAL;
import static io.opsdoc.core.Severity.WARNING;
import static io.opsdoc.lab.scenario.Expect.code;

import io.opsdoc.lab.scenario.LabVariant;
import io.opsdoc.lab.scenario.Scenario;
import io.opsdoc.lab.scenario.ScenarioSet;
import java.time.Duration;
import java.util.List;

/**
 * nginx-status, nginx-upstreams and haproxy-backends against Debian's nginx 1.22 and HAProxy 2.6 in front of the same
 * backends: an upstream stopped, hung, hanging up, all of a group down, worker_connections exhausted or nearly,
 * HAProxy servers DOWN by their health checks, one put in MAINT on the admin socket, a queue behind maxconn 1, and a
 * frontend near its maxconn. Every error-log line here was written by nginx itself.
 */
public final class EdgeScenarios implements ScenarioSet<EdgeLab> {
    private static final List<String> UPSTREAM_CODES = List.of("UPSTREAM_SERVER_DOWN", "ALL_UPSTREAMS_DOWN",
            "NO_PASSIVE_CHECK", "LOG_UPSTREAM_REFUSED", "LOG_UPSTREAM_TIMED_OUT", "LOG_NO_LIVE_UPSTREAMS",
            "LOG_UPSTREAM_CLOSED_EARLY");

    @Override
    public String system() {
        return "edge";
    }

    @Override
    public String description() {
        return "Debian nginx and HAProxy on loopback in front of five backends in this JVM (stoppable, slow, hung, "
                + "hanging up); both start in parallel in a few seconds. http-status also runs through the nginx";
    }

    @Override
    public List<LabVariant<EdgeLab>> variants() {
        return List.of(new LabVariant<>("debian", EdgeLab::unavailable, EdgeLab::start, EdgeLab::shared));
    }

    @Override
    public List<Scenario<EdgeLab>> scenarios() {
        return List.of(
                // --- nginx-status
                status("nginx-status-healthy", "a quiet nginx: no connection dropped, far from worker_connections")
                        .healthy().metrics("nginx_connections_active", "nginx_requests_per_second",
                                "nginx_connections_used_percent").build(),
                status("nginx-near-connection-limit", "26 idle client connections held on an nginx with "
                        + "worker_connections 32 (max-connections 32)").breaks(lab -> lab.holdNginxConnections(26))
                        .expect(code("NEAR_WORKER_CONNECTION_LIMIT").severity(WARNING).evidence("max-connections", 32)
                                .says("of max-connections 32"))
                        .absent("CONNECTIONS_DROPPED").build(),
                status("nginx-connections-dropped", "slowloris: clients send half a request header and wait until "
                        + "all 32 worker_connections are taken; nginx closes the next connections right after accept")
                        .breaks(EdgeLab::exhaustWorkerConnections)
                        .expect(code("CONNECTIONS_DROPPED").severity(WARNING).positive("dropped_total")
                                .evidence("dropped_in_window", 0L).says("worker_connections are not enough"))
                        .absent("NEAR_WORKER_CONNECTION_LIMIT").build(),

                // --- nginx-upstreams
                upstreams("nginx-upstreams-healthy", "every upstream server accepts connections, the error log has no "
                        + "upstream error").healthy().metrics("nginx_upstream_servers", "nginx_upstream_servers_down",
                                "nginx_error_log_upstream_errors").build(),
                only(upstreams("nginx-upstream-refused", "the application behind /app/ is stopped; requests to it got "
                                + "502").breaks(EdgeLab::refusedUpstream),
                        "ALL_UPSTREAMS_DOWN", "UPSTREAM_SERVER_DOWN", "LOG_UPSTREAM_REFUSED")
                        .expect(code("ALL_UPSTREAMS_DOWN").severity(CRITICAL).evidence("upstream", "app")
                                .says("connection refused", "502"))
                        .expect(code("UPSTREAM_SERVER_DOWN").severity(WARNING).evidence("upstream", "pool"))
                        .expect(code("LOG_UPSTREAM_REFUSED").severity(WARNING).positive("count").says("502 Bad Gateway"))
                        .build(),
                only(upstreams("nginx-upstream-timed-out", "the upstream behind /hung/ accepts and never answers "
                                + "(proxy_read_timeout 1s): requests got 504").breaks(EdgeLab::timedOutUpstream),
                        "LOG_UPSTREAM_TIMED_OUT")
                        .expect(code("LOG_UPSTREAM_TIMED_OUT").severity(WARNING).positive("count")
                                .says("504 Gateway Timeout", "proxy_read_timeout"))
                        .build(),
                only(upstreams("nginx-upstream-hung-http-probe", "the same hung upstream found by the http probe "
                                + "(probe-timeout 1s), though it accepts TCP connections").param("probe", "http")
                                .param("probe-timeout", "1s").param("error-log", ""),
                        "ALL_UPSTREAMS_DOWN")
                        .expect(code("ALL_UPSTREAMS_DOWN").severity(CRITICAL).evidence("upstream", "hung")
                                .says("no answer within"))
                        .build(),
                only(upstreams("nginx-no-live-upstreams", "both servers of /pool/ stopped: once each failed, nginx "
                                + "stops trying (max_fails 1, fail_timeout 30s)").breaks(EdgeLab::noLiveUpstreams),
                        "ALL_UPSTREAMS_DOWN", "LOG_UPSTREAM_REFUSED", "LOG_NO_LIVE_UPSTREAMS")
                        .expect(code("LOG_NO_LIVE_UPSTREAMS").severity(WARNING).evidence("upstream", "http://pool"))
                        .expect(code("ALL_UPSTREAMS_DOWN").evidence("upstream", "pool"))
                        .expect(code("LOG_UPSTREAM_REFUSED"))
                        .build(),
                only(upstreams("nginx-upstream-closed-early", "the upstream behind /closer/ hangs up after reading "
                                + "the request: 502").breaks(EdgeLab::upstreamClosesEarly),
                        "LOG_UPSTREAM_CLOSED_EARLY")
                        .expect(code("LOG_UPSTREAM_CLOSED_EARLY").severity(WARNING).positive("count"))
                        .build(),
                only(Scenario.<EdgeLab>of("nginx-no-passive-check", "nginx.conf includes upstreams.conf and "
                                + "nocheck.conf; nocheck's only server has max_fails=0").checks("nginx-upstreams")
                                .target(EdgeLab::nginxTarget).param("config-file", EdgeLab::nginxMainConfig)
                                .param("error-log", "").timeout(Duration.ofSeconds(10)),
                        "NO_PASSIVE_CHECK")
                        .expect(code("NO_PASSIVE_CHECK").severity(WARNING).evidence("upstream", "nocheck"))
                        .build(),

                // --- http-status through the real nginx: the statuses as nginx makes them
                web("http-via-nginx-healthy", "GET through nginx to a running upstream", "/app/").healthy().build(),
                web("http-via-nginx-502", "the upstream behind /app/ is stopped: nginx answers 502 itself", "/app/")
                        .breaks(EdgeLab::stopAppA)
                        .expect(code("HTTP_502").severity(CRITICAL).evidence("status", 502).says("(Server: nginx")).build(),
                web("http-via-nginx-504", "the upstream behind /hung/ never answers (proxy_read_timeout 1s)", "/hung/")
                        .expect(code("HTTP_504").severity(CRITICAL).evidence("status", 504)).build(),
                web("http-via-nginx-503-limit-conn", "one request holds /limited/'s only slot (limit_conn perip 1): "
                        + "nginx rejects the next with 503", "/limited/").breaks(EdgeLab::occupyNginxLimit)
                        .expect(code("HTTP_503").severity(CRITICAL).evidence("status", 503)).build(),

                // --- haproxy-backends
                haproxy("haproxy-healthy", "every server UP, no queue, no session near a limit").healthy()
                        .metrics("haproxy_servers", "haproxy_servers_down", "haproxy_backends_down").build(),
                haproxy("haproxy-server-down", "the application behind web1 and solo1 is stopped: their health checks "
                        + "are refused (L4CON); be_solo has no other server").breaks(lab -> lab.haproxyServerDown())
                        .expect(code("SERVER_DOWN").severity(WARNING).evidence("server", "web1")
                                .evidence("check_status", "L4CON").says("be_web/web1", "connection refused"))
                        .expect(code("BACKEND_DOWN").severity(CRITICAL).evidence("backend", "be_solo")
                                .says("solo1", "503"))
                        .absent("SERVER_MAINT", "QUEUEING", "SESSIONS_NEAR_LIMIT").build(),
                haproxy("haproxy-server-maint", "web2 put in maintenance on the admin socket (disable server)")
                        .breaks(lab -> lab.haproxyServerMaint())
                        .expect(code("SERVER_MAINT").severity(WARNING).evidence("server", "web2").says("MAINT"))
                        .absent("SERVER_DOWN", "BACKEND_DOWN", "QUEUEING").build(),
                haproxy("haproxy-server-maint-ignored", "web2 in maintenance with maint=false: planned work").param("maint", "false")
                        .breaks(lab -> lab.haproxyServerMaint()).healthy().build(),
                haproxy("haproxy-queue", "four requests to be_queue, whose server takes one at a time (maxconn 1, "
                        + "maxqueue 4) and holds it").breaks(lab -> lab.haproxyQueue())
                        .expect(code("QUEUEING").severity(WARNING).evidence("backend", "be_queue").evidence("queued", 3L)
                                .evidence("qlimit", 4L))
                        .expect(code("SESSIONS_NEAR_LIMIT").severity(CRITICAL).evidence("name", "slow1"))
                        .absent("SERVER_DOWN", "BACKEND_DOWN").build(),
                haproxy("haproxy-frontend-near-limit", "9 connections held on fe_limited (maxconn 10)")
                        .breaks(lab -> lab.haproxyFrontendNearLimit(9))
                        .expect(code("SESSIONS_NEAR_LIMIT").severity(WARNING).evidence("proxy", "fe_limited")
                                .evidence("scur", 9L).evidence("slim", 10L))
                        .absent("QUEUEING", "SERVER_DOWN").build());
    }

    private static Scenario.Builder<EdgeLab> status(String id, String story) {
        return Scenario.<EdgeLab>of(id, story).checks("nginx-status").target(EdgeLab::nginxTarget)
                .param("window", "1s").param("max-connections", String.valueOf(EdgeLab.WORKER_CONNECTIONS))
                .timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<EdgeLab> upstreams(String id, String story) {
        return Scenario.<EdgeLab>of(id, story).checks("nginx-upstreams").target(EdgeLab::nginxTarget)
                .param("config-file", EdgeLab::nginxUpstreamsConfig).param("error-log", EdgeLab::nginxErrorLog)
                .timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<EdgeLab> web(String id, String story, String path) {
        return Scenario.<EdgeLab>of(id, story).checks("http-status").target(lab -> lab.nginxUrl(path))
                .param("slow-warning", "5s").param("slow-critical", "9s").timeout(Duration.ofSeconds(10));
    }

    private static Scenario.Builder<EdgeLab> haproxy(String id, String story) {
        return Scenario.<EdgeLab>of(id, story).checks("haproxy-backends").target(EdgeLab::haproxyTarget)
                .timeout(Duration.ofSeconds(10));
    }

    /** Every other nginx-upstreams code must be absent. */
    private static Scenario.Builder<EdgeLab> only(Scenario.Builder<EdgeLab> b, String... present) {
        List<String> p = List.of(present);
        return b.absent(UPSTREAM_CODES.stream().filter(c -> !p.contains(c)).toArray(String[]::new));
    }
}
