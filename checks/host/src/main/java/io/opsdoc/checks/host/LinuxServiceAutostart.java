package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.AutostartCode.*;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Will the named services start at the next boot, and will rc.local run? Decided from the files, the way
 * {@code systemctl is-enabled} decides without a running manager ({@link AutostartState}): systemd's wants/requires
 * links and masks, a unit's [Install] section, SysV start links in /etc/rc[2-5].d, rc.local's execute bit. Only when
 * systemd runs on the host is it asked as well ({@code systemctl show}), which adds SERVICE_FAILED.
 */
public final class LinuxServiceAutostart extends HostCheck<AutostartFacts> {
    public static final String ID = "linux-service-autostart";
    static final String NOTE = "linux/boot-and-autostart";
    private static final int MAX_FILE = 64 * 1024;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("services", ParameterType.STRING, "",
                    "comma-separated services that must start at boot, e.g. ssh,cron,nginx (a name without a dot "
                            + "means NAME.service); empty: only rc.local is judged"),
            new ParameterSpec("root", ParameterType.STRING, "/",
                    "where the host's root file system is: / normally; in a container, where the host's / is "
                            + "mounted read-only (e.g. /host)"));

    public LinuxServiceAutostart() {
        super(ID, "Will the named services start at boot, and will rc.local run?", AutostartFacts.class, PARAMETERS,
                HostTransportCode.with(AutostartCode.class), HostGrants.grants(ID, "find -H over systemd's unit "
                        + "directories, /etc/init.d, /etc/rc[2-5].d and rc.local (-maxdepth 2 -printf), cat of the "
                        + "named services' unit files and of rc.local, and systemctl show of those units when systemd "
                        + "runs (no D-Bus call that changes anything)"));
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        validate(target);
        units(parameters.string("services"));
        String root = parameters.string("root");
        try {
            HostCommands.requireFilePath(root);
        } catch (IllegalArgumentException e) {
            throw new UsageException("parameter root: give an absolute normal path such as / or /host, not '" + root
                    + "'");
        }
    }

    /** The units named by {@code services}: NAME.service unless the name has a type suffix. */
    static List<String> units(String services) {
        List<String> units = new ArrayList<>();
        for (String s : services.split(",")) {
            String name = s.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!HostCommands.UNIT.matcher(name).matches()) {
                throw new UsageException("parameter services: '" + name + "' is not a unit name (letters, digits and "
                        + ":_.@- only)");
            }
            units.add(name.contains(".") ? name : name + ".service");
        }
        return List.copyOf(units);
    }

    @Override
    public AutostartFacts collect(CheckContext context) throws Exception {
        String root = context.parameters().string("root");
        List<String> units = units(context.parameters().string("services"));
        String prefix = root.equals("/") ? "" : root;
        return HostSession.with(context, host -> {
            List<AutostartFacts.Entry> entries = AutostartFacts.parse(host.autostartListing(root), root);
            AutostartState state = new AutostartState(entries, Map.of());
            Map<String, String> files = new LinkedHashMap<>();
            List<String> wanted = new ArrayList<>();
            units.forEach(u -> {
                String f = state.unitFile(u);
                if (f != null) {
                    wanted.add(f);
                }
            });
            String rcLocal = state.rcLocal();
            if (rcLocal != null) {
                wanted.add(rcLocal);
            }
            for (String f : wanted) {
                files.put(f, host.stream(prefix + f, in -> new String(in.readNBytes(MAX_FILE), StandardCharsets.UTF_8)));
            }
            boolean systemdRuns = root.equals("/") && entries.stream()
                    .anyMatch(e -> e.path().equals("/run/systemd/system") && e.type().equals("d"));
            String systemctl = systemdRuns && !units.isEmpty() ? host.systemctlShow(units) : null;
            return new AutostartFacts(root, entries, Map.copyOf(files), systemctl);
        });
    }

    @Override
    public void evaluate(AutostartFacts facts, Parameters p, Evaluation.Builder out) {
        AutostartState state = new AutostartState(facts.entries(), facts.files());
        Map<String, Map<String, String>> running = AutostartState.systemctl(facts.systemctl());
        List<String> units = units(p.string("services"));
        int enabled = 0;
        for (String unit : units) {
            AutostartState.Resolution r = state.resolve(unit);
            Map<String, String> live = running.get(unit);
            String fileState = live != null && !live.getOrDefault("UnitFileState", "").isEmpty()
                    ? live.get("UnitFileState") : r.state();
            if (live != null && "not-found".equals(live.get("LoadState"))) {
                fileState = "not-found";
            }
            Evidence evidence = Evidence.of("unit", unit, "state", fileState, "root", facts.root())
                    .putIfPresent("decided_by", r.evidence());
            if (AutostartState.STARTS_AT_BOOT.contains(fileState)) {
                enabled++;
            } else if (!fileState.equals("static") && !fileState.equals("indirect") && !fileState.equals("generated")) {
                out.finding(SERVICE_NOT_ENABLED, Severity.WARNING, unit + " will not start at the next boot ("
                        + fileState + ": " + AutostartState.explain(fileState) + "); " + AutostartState.fix(unit,
                                fileState), evidence);
            }
            if (live != null && "failed".equals(live.get("ActiveState"))) {
                out.finding(SERVICE_FAILED, Severity.CRITICAL, unit + " has failed (SubState " + live.get("SubState")
                        + ", Result " + live.get("Result") + "): it is not running and systemd will not restart it "
                        + "on its own; read journalctl -u " + unit + " -b, fix the cause, then systemctl restart "
                        + unit, Evidence.of("unit", unit, "ActiveState", live.get("ActiveState"), "SubState",
                                live.get("SubState"), "Result", live.get("Result")));
            }
        }
        out.metric(Metric.of("services_enabled", enabled, ""));
        out.metric(Metric.of("services_checked", units.size(), ""));
        String rc = state.rcLocal();
        if (rc != null) {
            AutostartFacts.Entry e = state.entry(rc);
            List<String> commands = AutostartState.rcLocalCommands(facts.files().getOrDefault(rc, ""));
            boolean executable = (Integer.parseInt(e.mode(), 8) & 0111) != 0;
            if (!executable && !commands.isEmpty()) {
                out.finding(RC_LOCAL_NOT_EXECUTABLE, Severity.WARNING, rc + " holds " + commands.size()
                        + " command(s) (first: " + commands.get(0) + ") but is mode " + e.mode() + ", not executable: "
                        + "systemd's rc-local generator (and the old init) run it only when it is; chmod +x " + rc
                        + ", or better move the commands into a unit and systemctl enable it",
                        Evidence.of("path", rc, "mode", e.mode(), "commands", commands.size(), "root", facts.root()));
            }
        }
    }
}
