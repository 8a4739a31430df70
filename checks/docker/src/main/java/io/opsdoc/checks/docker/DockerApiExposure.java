package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.ExposureCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Json;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Is the Docker API open on the network without client authentication? Judged from this host's side, not from the
 * daemon's word: the TCP sockets dockerd really listens on (its file descriptors matched to /proc/PID/net/tcp{,6}),
 * and whether it verifies client certificates (--tlsverify or "tlsverify" in daemon.json). Runs on {@code local:}.
 */
public final class DockerApiExposure extends DescribedCheck<ExposureFacts> {
    public static final String ID = "docker-api-exposure";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("pid-file", ParameterType.STRING, "/var/run/docker.pid",
                    "dockerd's pid file (its --pidfile), which names the daemon to inspect"),
            new ParameterSpec("config-file", ParameterType.STRING, "/etc/docker/daemon.json",
                    "daemon.json when dockerd runs without --config-file"));

    private static final List<GrantSet> GRANTS = List.of(new GrantSet("local: as root", List.of(
            "read /var/run/docker.pid", "read /proc/PID/cmdline, /proc/PID/fd, /proc/PID/net/tcp{,6}",
            "read /etc/docker/daemon.json"), "dockerd runs as root, so only root can list its file descriptors; "
            + "nothing is written and the Docker API is not called."));

    public DockerApiExposure() {
        super(ID, "local", "Does dockerd listen on TCP without verifying client certificates (root for anyone who "
                + "reaches the port)?", ExposureFacts.class, PARAMETERS, ExposureCode.class, GRANTS);
    }

    @Override
    public void validate(Target target) {
        if (!target.scheme().equals("local")) {
            throw new UsageException("docker-api-exposure reads this host's /proc: run it on local:");
        }
    }

    @Override
    public ExposureFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        Path pidFile = Path.of(p.string("pid-file"));
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, "no pid file " + pidFile + ": dockerd is not running "
                    + "(or uses another --pidfile: set pid-file)", e);
        } catch (NumberFormatException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, pidFile + " does not hold a process id", e);
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        List<String> cmdline;
        try {
            cmdline = List.of(new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, pidFile + " names pid " + pid + ", which is not running: "
                    + "a stale pid file, dockerd is down", e);
        }
        if (cmdline.isEmpty() || !Path.of(cmdline.get(0)).getFileName().toString().equals("dockerd")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "pid " + pid + " from " + pidFile + " is "
                    + (cmdline.isEmpty() ? "(no command)" : cmdline.get(0)) + ", not dockerd");
        }
        boolean tls = false;
        boolean verify = false;
        List<String> hosts = new ArrayList<>();
        String config = p.string("config-file");
        for (int i = 1; i < cmdline.size(); i++) {
            String a = cmdline.get(i);
            String next = i + 1 < cmdline.size() ? cmdline.get(i + 1) : "";
            if (a.equals("-H") || a.equals("--host")) {
                hosts.add(next);
            } else if (a.startsWith("--host=") || a.startsWith("-H=")) {
                hosts.add(a.substring(a.indexOf('=') + 1));
            } else if (a.equals("--config-file")) {
                config = next;
            } else if (a.startsWith("--config-file=")) {
                config = a.substring(14);
            } else if (a.equals("--tlsverify") || a.equals("--tlsverify=true")) {
                verify = true;
            } else if (a.equals("--tls") || a.equals("--tls=true") || a.startsWith("--tlscert")) {
                tls = true;
            }
        }
        Path cfg = Path.of(config);
        if (Files.isReadable(cfg)) {
            try {
                JsonNode j = Json.mapper().readTree(Files.readString(cfg));
                verify |= j.path("tlsverify").asBoolean(false);
                tls |= j.path("tls").asBoolean(false) || j.hasNonNull("tlscert");
                j.path("hosts").forEach(h -> hosts.add(h.asText()));
            } catch (IOException e) {
                // an unparsable daemon.json would stop dockerd from starting; this one is running, so it is not in use
            }
        }
        return new ExposureFacts(pid, cmdline, config, tls, verify, hosts, listeners(proc));
    }

    /** TCP LISTEN sockets among dockerd's fds, read from its own network namespace's tables. */
    private static List<String> listeners(Path proc) throws ProbeException, IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot list " + proc.resolve("fd")
                    + ": dockerd runs as root, run this check as root", e);
        }
        List<String> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path t = proc.resolve("net").resolve(table);
            if (!Files.isReadable(t)) {
                continue;
            }
            for (String line : Files.readAllLines(t)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    out.add(address(f[1], table.equals("tcp6")));
                }
            }
        }
        return out;
    }

    /** /proc/net/tcp's "0100007F:0CEA" (little-endian words) as 127.0.0.1:3306; IPv6 shown as the kernel's hex. */
    static String address(String hex, boolean v6) {
        String[] hp = hex.split(":");
        int port = Integer.parseInt(hp[1], 16);
        if (v6) {
            return (hp[0].matches("0+") ? "[::]" : "[" + hp[0].toLowerCase() + "]") + ":" + port;
        }
        long a = Long.parseLong(hp[0], 16);
        return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 24 & 0xff) + ":" + port;
    }

    @Override
    public void evaluate(ExposureFacts f, Parameters p, Evaluation.Builder out) {
        out.metric(Metric.of("docker_api_tcp_listeners", f.listeners().size(), ""));
        if (f.listeners().isEmpty() || f.tlsVerify()) {
            return;
        }
        Evidence evidence = Evidence.of("pid", f.pid(), "listeners", f.listeners(), "hosts", f.hosts(), "tls", f.tls(),
                "tlsverify", f.tlsVerify(), "config_file", f.configFile());
        String ports = f.listeners().size() == 1 ? "that port" : "those ports";
        if (f.tls()) {
            out.finding(DOCKER_API_TLS_WITHOUT_VERIFY, Severity.CRITICAL, "dockerd (pid " + f.pid() + ") listens on TCP "
                    + String.join(", ", f.listeners()) + " with TLS but without --tlsverify: the traffic is encrypted, "
                    + "yet any client is accepted, so anyone who can reach " + ports + " can start a privileged "
                    + "container and is root on this host", evidence);
            return;
        }
        out.finding(DOCKER_API_UNAUTHENTICATED_TCP, Severity.CRITICAL, "dockerd (pid " + f.pid() + ") listens on TCP "
                + String.join(", ", f.listeners()) + " without TLS: it authenticates no client, so anyone who can reach "
                + ports + " can start a privileged container and is root on this host", evidence);
    }
}
