package io.opsdoc.checks.mysql;

import io.opsdoc.checks.host.HostAccess;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The MHA part of mysql-failover-readiness's I/O: {@code masterha_check_status} (and, when asked,
 * {@code masterha_check_repl}) with the configured application file, on the manager host through the host transport
 * ({@code local:} or {@code ssh://}), bounded by the run's deadline. A failure here is recorded, not thrown: the
 * replicas' comparison stands on its own.
 */
final class MhaProbe {
    static final String STATUS = "masterha_check_status";
    static final String REPL = "masterha_check_repl";
    /** Lines of masterha_check_repl that decide: its errors and warnings, its verdict, the causes it prints bare. */
    private static final Pattern DECISIVE = Pattern.compile(
            "(?i)\\[error\\]|\\[warning\\]|health is|failed|error|dead|not running|stopped|denied|unknown");
    /** Noise on every run: MHA's own optional global file, ssh adding a host key. */
    private static final Pattern NOISE = Pattern.compile(
            "masterha_default\\.cnf not found|Warning: Permanently added");
    /**
     * A value after a secret-looking name: {@code password=x}, {@code --slave_pass='x'}, {@code passwd: x} (but not
     * MySQL's "(using password: YES)", which says only whether one was sent).
     */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)((?:pass(?:word|wd)?|pwd|secret|token)[A-Za-z_]*)(\\s*[=:]\\s*)(?!(?:YES|NO)\\))('[^']*'|\"[^\"]*\"|\\S+)");
    static final int MAX_LINES = 20;
    static final int MAX_LINE = 300;

    private MhaProbe() {
    }

    /** The manager host named by {@code mha-host}: local: or ssh://user@host[:port][?identity=FILE]. */
    static Target host(String parameter) {
        return HostAccess.hostParameter("mha-host", parameter);
    }

    /** An absolute path without shell-relevant surprises; it is passed as one quoted word. */
    static String conf(String parameter) {
        String c = parameter.trim();
        if (!c.startsWith("/") || c.chars().anyMatch(ch -> ch < 0x20)) {
            throw new UsageException("mha-conf: give the absolute path of the MHA application file, e.g. "
                    + "/etc/masterha/app1.cnf");
        }
        return c;
    }

    static MhaFacts collect(CheckContext context) {
        String confParam = context.parameters().string("mha-conf");
        if (confParam.isBlank()) {
            return null;
        }
        String conf = conf(confParam);
        Target host = host(context.parameters().string("mha-host"));
        // as shown anywhere: a password written into the URI never reaches the facts
        String hostParam = host.display();
        boolean repl = context.parameters().bool("mha-check-repl");
        MhaFacts.Run[] runs = new MhaFacts.Run[2];
        try {
            HostAccess.on(context, host, h -> {
                runs[0] = run(h, STATUS, conf, false);
                if (repl) {
                    runs[1] = run(h, REPL, conf, true);
                }
                return null;
            });
            return new MhaFacts(hostParam, conf, runs[0], runs[1], null, null);
        } catch (ProbeException e) {
            String code = ProbeErrors.ALL.contains(e.code()) ? e.code().code() : ProbeErrors.PROBE_FAILED.code();
            return new MhaFacts(hostParam, conf, runs[0], runs[1], code, mask(String.valueOf(e.getMessage())));
        } catch (Exception e) {
            FailureClassifier.Failure f = FailureClassifier.network(e, "the MHA manager host " + hostParam,
                    host.hosts().isEmpty() ? "localhost" : host.host().host());
            return new MhaFacts(hostParam, conf, runs[0], runs[1], f.code().code(), mask(f.reason()));
        }
    }

    private static MhaFacts.Run run(HostAccess.Host h, String tool, String conf, boolean onlyDecisive) throws Exception {
        HostAccess.Result r = h.command(List.of(tool, "--conf=" + conf));
        if (r.status() == null) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, tool + " ended without an exit status (killed?)");
        }
        if (r.status() == 127) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, tool + " is not installed on the MHA manager host "
                    + "(Debian package mha4mysql-manager), or not on the SSH user's PATH");
        }
        return new MhaFacts.Run(r.status(), lines(r.out() + "\n" + r.err(), onlyDecisive));
    }

    /** The lines worth keeping, masked and bounded. */
    static List<String> lines(String output, boolean onlyDecisive) {
        List<String> kept = new ArrayList<>();
        for (String line : output.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || NOISE.matcher(l).find() || (onlyDecisive && !DECISIVE.matcher(l).find())) {
                continue;
            }
            l = mask(l);
            kept.add(l.length() > MAX_LINE ? l.substring(0, MAX_LINE) + "..." : l);
        }
        // the last lines hold the verdict and its cause
        return kept.size() > MAX_LINES ? List.copyOf(kept.subList(kept.size() - MAX_LINES, kept.size())) : kept;
    }

    static String mask(String line) {
        return SECRET.matcher(line).replaceAll("$1$2***");
    }
}
