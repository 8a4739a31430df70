package io.opsdoc.checks.edge;

import io.opsdoc.core.OnlineCpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@link NginxTuningFacts} on this host: the configuration files (includes followed) and, through the pid file
 * the configuration names, the master's descriptor limit in /proc. We read the files rather than run {@code nginx -T}:
 * {@code nginx -T} is a full configuration test that opens every log file and loads every TLS private key, which an
 * unprivileged monitoring user cannot (it fails on a stock Debian install), and it would execute a binary with the
 * target's configuration; reading needs only read access to /etc/nginx, and /proc/PID/limits is world-readable.
 */
final class NginxTuningReader {
    static final String DEFAULT_PID = "/run/nginx.pid"; // Debian's --pid-path

    private NginxTuningReader() {
    }

    static NginxTuningFacts read(Path config) throws IOException {
        NginxDirectives.Directive main = NginxDirectives.read(config);
        NginxDirectives.Directive wp = main.one("worker_processes");
        NginxDirectives.Directive events = main.one("events");
        NginxDirectives.Directive wc = events == null ? null : events.one("worker_connections");
        NginxDirectives.Directive rl = main.one("worker_rlimit_nofile");
        NginxDirectives.Directive pid = main.one("pid");
        Long masterLimit = null;
        String why;
        String pidFile = pid == null ? DEFAULT_PID : pid.arg(0);
        try {
            String masterPid = Files.readString(Path.of(pidFile)).trim();
            String comm = Files.readString(Path.of("/proc", masterPid, "comm")).trim();
            if (!comm.equals("nginx")) {
                why = "pid file " + pidFile + " names process " + masterPid + ", which is " + comm + ", not nginx";
            } else {
                masterLimit = openFiles(Files.readString(Path.of("/proc", masterPid, "limits")));
                why = masterLimit == null ? "no 'Max open files' line in /proc/" + masterPid + "/limits"
                        : "/proc/" + masterPid + "/limits of the master (pid file " + pidFile + ")";
            }
        } catch (NoSuchFileException e) {
            why = "nginx is not running from this configuration (" + e.getFile() + " does not exist)";
        } catch (IOException | RuntimeException e) {
            why = "cannot read the master's limits through " + pidFile + ": " + e.getMessage();
        }
        List<String> keepaliveOff = new ArrayList<>();
        Set<String> proxied = new LinkedHashSet<>();
        boolean[] http11 = {false};
        NginxDirectives.Directive http = main.one("http");
        List<NginxTuningFacts.Upstream> upstreams = new ArrayList<>();
        if (http != null) {
            walk(http, "http", keepaliveOff, proxied, http11);
            for (NginxDirectives.Directive u : http.all("upstream")) {
                if (proxied.contains(u.arg(0))) {
                    NginxDirectives.Directive ka = u.one("keepalive");
                    Integer keepalive = null;
                    if (ka != null) {
                        try {
                            keepalive = Integer.parseInt(ka.arg(0));
                        } catch (NumberFormatException e) {
                            keepalive = null; // nginx -t rejects it
                        }
                    }
                    upstreams.add(new NginxTuningFacts.Upstream(u.arg(0), u.all("server").size(), keepalive));
                }
            }
        }
        return new NginxTuningFacts(config.toString(), wp == null ? "1" : wp.arg(0), OnlineCpus.count(),
                wc == null ? 512 : parseInt(wc.arg(0), 512), rl == null ? null : parseInt(rl.arg(0), null),
                masterLimit, why, keepaliveOff, upstreams, http11[0]);
    }

    private static void walk(NginxDirectives.Directive block, String where, List<String> keepaliveOff,
            Set<String> proxied, boolean[] http11) {
        for (NginxDirectives.Directive d : block.block()) {
            switch (d.name()) {
                case "keepalive_timeout" -> {
                    if (d.arg(0).equals("0") || d.arg(0).equals("0s")) {
                        keepaliveOff.add(where);
                    }
                }
                case "proxy_pass" -> {
                    String url = d.arg(0).replaceFirst("^https?://", "");
                    proxied.add(url.split("[/:]", 2)[0]);
                }
                case "proxy_http_version" -> http11[0] |= d.arg(0).equals("1.1");
                case "server" -> {
                    if (d.block() != null) {
                        NginxDirectives.Directive listen = d.one("listen");
                        walk(d, "server " + (listen == null ? "(default listen)" : listen.arg(0)), keepaliveOff,
                                proxied, http11);
                    }
                }
                case "location", "if" -> {
                    if (d.block() != null) {
                        walk(d, where + " " + d.name() + " " + String.join(" ", d.args()), keepaliveOff, proxied, http11);
                    }
                }
                default -> {
                }
            }
        }
    }

    static Long openFiles(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] t = line.substring("Max open files".length()).trim().split("\\s+");
                return t[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(t[0]);
            }
        }
        return null;
    }

    private static Integer parseInt(String s, Integer fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
