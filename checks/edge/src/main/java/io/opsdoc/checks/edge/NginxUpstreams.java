package io.opsdoc.checks.edge;

import static io.opsdoc.checks.edge.UpstreamsCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.InputFiles;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Can nginx reach its upstreams, and what has its error log said about them? Every server of every
 * {@code upstream {}} (from a configuration file on this host, or a parameter) probed over TCP or HTTP with its own
 * deadline, plus the four upstream error signatures of the error log over the window, each mapped to the status
 * users saw: refused, no live upstreams and closed early are 502s, timed out is a 504. Run it on the nginx host (the
 * files are local; the probes go from here, as nginx's own connections do).
 */
public final class NginxUpstreams extends DescribedCheck<UpstreamsFacts> {
    public static final String ID = "nginx-upstreams";
    static final String NOTE = "nginx/upstreams";
    static final String DEFAULT_CONFIG = "/etc/nginx/nginx.conf";
    static final String DEFAULT_ERROR_LOG = "/var/log/nginx/error.log";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("config-file", ParameterType.STRING, DEFAULT_CONFIG,
                    "nginx configuration on this host whose upstream {} blocks (includes followed) are probed; "
                            + "empty for none"),
            new ParameterSpec("upstreams", ParameterType.STRING, "",
                    "servers to probe besides config-file's: name=host:port,... (or host:port,...)"),
            new ParameterSpec("probe", ParameterType.STRING, "tcp", "tcp (connect) or http (GET probe-path, < 500 is up)"),
            new ParameterSpec("probe-path", ParameterType.STRING, "/", "path of the http probe"),
            new ParameterSpec("probe-timeout", ParameterType.DURATION, "2s", "deadline of each server's probe"),
            new ParameterSpec("error-log", ParameterType.STRING, DEFAULT_ERROR_LOG,
                    "nginx error log on this host to scan (its tail); empty for none"),
            new ParameterSpec("window", ParameterType.DURATION, "5m", "error-log lines this recent count"),
            new ParameterSpec("log-critical", ParameterType.INTEGER, "100",
                    "lines of one upstream error in the window that are critical (fewer warn)"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("the nginx host", List.of(
            "read access to config-file and error-log (group adm on Debian: usermod -aG adm opsdoc)",
            "location = /nginx_status { stub_status; allow 127.0.0.1; deny all; }"),
            "no privileges in nginx: one GET of stub_status (is nginx up), TCP connects or a GET per upstream server, "
                    + "and reading two files."));

    private static final int PARALLEL = 8;

    public NginxUpstreams() {
        super(ID, "nginx", "Do nginx's upstream servers answer, and which upstream errors (502/504) does its error log show?",
                UpstreamsFacts.class, PARAMETERS, UpstreamsCode.class, GRANTS);
    }

    /** nginx://host:port/path, or the status page's own http:// URL: both are read over plain HTTP. */
    @Override
    public List<String> targetSchemes() {
        return List.of("nginx", "http");
    }

    @Override
    public void validate(Target target) {
        NginxStatus.requireOneHost(ID, target);
    }

    @Override
    public void validate(Target target, Parameters p) {
        validate(target);
        if (configFile(p) == null && p.string("upstreams").isBlank() && errorLog(p) == null) {
            throw new UsageException("check " + ID + " found neither " + DEFAULT_CONFIG + " nor " + DEFAULT_ERROR_LOG
                    + " on this host, and no upstreams: give config-file, error-log or upstreams (run it on the nginx host)");
        }
        for (String f : List.of("config-file", "error-log")) {
            String v = p.string(f);
            boolean isDefault = v.equals(f.equals("config-file") ? DEFAULT_CONFIG : DEFAULT_ERROR_LOG);
            if (!v.isBlank() && !isDefault) {
                InputFiles.requireReadable(f, v);
            }
        }
        String probe = p.string("probe").toLowerCase(Locale.ROOT);
        if (!probe.equals("tcp") && !probe.equals("http")) {
            throw new UsageException("parameter probe: '" + p.string("probe") + "' is not tcp or http");
        }
        try {
            parseList(p.string("upstreams"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("parameter upstreams: " + e.getMessage());
        }
    }

    @Override
    public UpstreamsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        java.net.URI status = EdgeHttp.url(context.target(), NginxStatus.DEFAULT_PATH, "");
        NginxStatus.read(context, status); // nginx itself must answer: its upstreams are moot otherwise
        List<NginxConfig.UpstreamServer> listed = new ArrayList<>();
        if (configFile(p) != null) {
            listed.addAll(NginxConfig.read(Path.of(configFile(p))));
        }
        listed.addAll(parseList(p.string("upstreams")));
        String probe = p.string("probe").toLowerCase(Locale.ROOT);
        List<UpstreamsFacts.Server> servers = UpstreamProbe.probeAll(context, listed, probe, p.string("probe-path"),
                p.duration("probe-timeout"), PARALLEL);
        UpstreamsFacts.LogScan log = null;
        if (errorLog(p) != null) {
            log = ErrorLogScan.scan(Path.of(errorLog(p)), p.duration("window").toSeconds(), ZonedDateTime.now());
        }
        return new UpstreamsFacts(status.toString(), probe, servers, log);
    }

    /** The config file to read: as given, or the Debian default when it is there; null for none. */
    static String configFile(Parameters p) {
        return file(p.string("config-file"), DEFAULT_CONFIG);
    }

    static String errorLog(Parameters p) {
        return file(p.string("error-log"), DEFAULT_ERROR_LOG);
    }

    private static String file(String value, String defaultPath) {
        if (value.isBlank()) {
            return null;
        }
        // the default only where it exists and is readable (not on a host without nginx); an explicit path always
        return value.equals(defaultPath) && !Files.isReadable(Path.of(value)) ? null : value;
    }

    static List<NginxConfig.UpstreamServer> parseList(String text) {
        List<NginxConfig.UpstreamServer> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String name = eq > 0 ? s.substring(0, eq).trim() : "(parameter)";
            String address = eq > 0 ? s.substring(eq + 1).trim() : s;
            if (address.isEmpty() || address.contains(" ")) {
                throw new IllegalArgumentException("'" + s + "' is not name=host:port or host:port");
            }
            out.add(new NginxConfig.UpstreamServer(name, address, false, false, null));
        }
        return out;
    }

    @Override
    public void evaluate(UpstreamsFacts facts, Parameters p, Evaluation.Builder out) {
        Map<String, List<UpstreamsFacts.Server>> byUpstream = new LinkedHashMap<>();
        facts.servers().forEach(s -> byUpstream.computeIfAbsent(s.upstream(), k -> new ArrayList<>()).add(s));
        long down = facts.servers().stream().filter(s -> s.probed() && !s.up()).count();
        out.metric(Metric.of("nginx_upstream_servers", facts.servers().size(), ""));
        out.metric(Metric.of("nginx_upstream_servers_down", down, ""));
        byUpstream.forEach((name, servers) -> {
            List<UpstreamsFacts.Server> probed = servers.stream().filter(UpstreamsFacts.Server::probed).toList();
            List<UpstreamsFacts.Server> failed = probed.stream().filter(s -> !s.up()).toList();
            if (!probed.isEmpty() && failed.size() == probed.size()) {
                String list = failed.stream().map(s -> s.address() + " (" + s.result() + ")").collect(Collectors.joining(", "));
                out.finding(ALL_UPSTREAMS_DOWN, Severity.CRITICAL, "no server of upstream " + name + " answers the "
                        + facts.probe() + " probe: " + list + "; nginx answers 502 Bad Gateway for every request "
                        + "proxied to it", Evidence.of("upstream", name, "servers", list, "probe", facts.probe()), name);
            } else {
                for (UpstreamsFacts.Server s : failed) {
                    out.finding(UPSTREAM_SERVER_DOWN, Severity.WARNING, "server " + s.address() + " of upstream " + name
                            + " does not answer the " + facts.probe() + " probe (" + s.result() + "); nginx retries its "
                            + "requests on the other " + (probed.size() - failed.size()) + " server(s) and marks it failed "
                            + "for fail_timeout after max_fails errors",
                            Evidence.of("upstream", name, "server", s.address(), "result", s.result(), "probe",
                                    facts.probe(), "backup", s.backup()), name + " " + s.address());
                }
            }
            for (UpstreamsFacts.Server s : servers) {
                if (s.maxFails() != null && s.maxFails() == 0) {
                    out.finding(NO_PASSIVE_CHECK, Severity.WARNING, "server " + s.address() + " of upstream " + name
                            + " has max_fails=0: nginx never marks it failed, so while it is down every request it is "
                            + "picked for fails over (or errors) first", Evidence.of("upstream", name, "server",
                                    s.address(), "max_fails", 0), name + " " + s.address());
                }
            }
        });
        if (facts.log() != null) {
            log(facts.log(), p, out);
        }
    }

    private static void log(UpstreamsFacts.LogScan log, Parameters p, Evaluation.Builder out) {
        long total = log.hits().stream().mapToLong(UpstreamsFacts.Hit::count).sum();
        out.metric(Metric.of("nginx_error_log_upstream_errors", total, ""));
        long critical = Math.max(1, p.integer("log-critical"));
        for (UpstreamsFacts.Hit h : log.hits()) {
            UpstreamsCode code = UpstreamsCode.valueOf(h.kind());
            String status = code == LOG_UPSTREAM_TIMED_OUT ? "504 Gateway Timeout" : "502 Bad Gateway";
            String meaning = switch (code) {
                case LOG_UPSTREAM_REFUSED -> "the upstream refused the connection: nothing listens on that port (the "
                        + "application is down or restarting)";
                case LOG_UPSTREAM_TIMED_OUT -> "the upstream accepted but did not answer within proxy_read_timeout (60 s "
                        + "by default) or proxy_connect_timeout";
                case LOG_NO_LIVE_UPSTREAMS -> "every server of the upstream was marked failed (max_fails within "
                        + "fail_timeout): nginx did not even try";
                default -> "the upstream closed the connection before sending a complete response header (it crashed, "
                        + "hit its own timeout, or its keepalive timeout is shorter than nginx's)";
            };
            out.finding(code, h.count() >= critical ? Severity.CRITICAL : Severity.WARNING, h.count() + " line(s) in "
                    + log.path() + " in the last " + Duration.ofSeconds(log.windowSeconds()).toMinutes() + " min for "
                    + (h.upstream().equals("(none)") ? "an upstream" : h.upstream()) + ": " + meaning + "; users got "
                    + status, Evidence.of("count", h.count(), "upstream", h.upstream(), "last_at", h.lastTime(),
                            "example", h.example(), "window_seconds", log.windowSeconds(), "log-critical", critical),
                    h.upstream());
        }
    }
}
