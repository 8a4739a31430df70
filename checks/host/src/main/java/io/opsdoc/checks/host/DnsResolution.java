package io.opsdoc.checks.host;

import static io.opsdoc.checks.host.DnsCode.ADDRESS_MISMATCH;
import static io.opsdoc.checks.host.DnsCode.NAMESERVERS_IGNORED;
import static io.opsdoc.checks.host.DnsCode.NAMESERVER_DOWN;
import static io.opsdoc.checks.host.DnsCode.NAME_NOT_FOUND;
import static io.opsdoc.checks.host.DnsCode.NO_NAMESERVER;
import static io.opsdoc.checks.host.DnsCode.RESOLVER_ERROR;
import static io.opsdoc.checks.host.DnsCode.RESOLVER_SLOW;

import io.opsdoc.checks.host.DnsFacts.Lookup;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Severity;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Do the names this host depends on resolve, correctly and quickly, through the nameservers its resolver uses?
 * Reads the host's resolv.conf through the host transport (local: or ssh://), then asks each nameserver it names
 * (or those of {@code server=}) for each name directly, from where opsdoc runs, with the host's own per-try timeout
 * and number of tries: so each nameserver is judged on its own, with its rcode, which the system resolver hides.
 */
public final class DnsResolution extends HostCheck<DnsFacts> {
    public static final String ID = "dns-resolution";
    static final String NOTE = "network/dns";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("names", ParameterType.STRING, "", "comma-separated fully qualified names to resolve, "
                    + "each optionally with the address it must resolve to: db1.example.com=10.0.0.5,api.example.com "
                    + "(the search list is not applied); empty: only the resolver configuration is judged"),
            new ParameterSpec("server", ParameterType.STRING, "", "comma-separated nameservers to ask instead of "
                    + "those in resolv.conf, ADDRESS or ADDRESS:PORT"),
            new ParameterSpec("resolv-conf", ParameterType.STRING, "/etc/resolv.conf", "the resolver configuration "
                    + "to read on the host (e.g. /run/systemd/resolve/resolv.conf for systemd-resolved's upstreams)"),
            new ParameterSpec("slow", ParameterType.DURATION, "500ms", "answer time at which to warn: a cached or "
                    + "local answer takes milliseconds, a recursive one rarely more than a few hundred"));

    public DnsResolution() {
        super(ID, "Do the names this Linux host needs resolve, correctly and fast, on each of its nameservers?",
                DnsFacts.class, PARAMETERS, HostTransportCode.with(DnsCode.class), HostGrants.grants(ID,
                        "cat of the resolv.conf named by resolv-conf (world-readable); the DNS queries go from where "
                                + "opsdoc runs to the nameservers, UDP and TCP port 53"));
    }

    @Override
    public void validate(Target target, Parameters parameters) {
        super.validate(target, parameters);
        String path = parameters.string("resolv-conf");
        try {
            HostCommands.requireReadable(path);
        } catch (IllegalArgumentException e) {
            throw new UsageException("resolv-conf=" + path + ": give the absolute path of a file named resolv.conf");
        }
        names(parameters);
        DnsQueries.servers(parameters.string("server"));
    }

    @Override
    public DnsFacts collect(CheckContext context) throws Exception {
        Parameters p = context.parameters();
        String path = p.string("resolv-conf");
        String text = HostSession.with(context, host -> {
            try {
                return host.read(path);
            } catch (ProbeException e) {
                if (e.code() == ProbeErrors.PERMISSION_DENIED) {
                    throw e;
                }
                return null; // no such file: glibc then has no nameserver either
            }
        });
        ResolvConf conf = ResolvConf.parse(text);
        boolean remote = !HostTarget.of(context.target()).local();
        List<String> servers = new ArrayList<>();
        List<String> notAsked = new ArrayList<>();
        String given = p.string("server");
        for (String s : given.isBlank() ? conf.used() : DnsQueries.servers(given)) {
            // a remote host's loopback resolver (systemd-resolved's 127.0.0.53) is not reachable from here
            if (remote && given.isBlank() && DnsQueries.loopback(s)) {
                notAsked.add(s);
            } else {
                servers.add(s);
            }
        }
        Map<String, List<String>> names = names(p);
        if (!names.isEmpty() && servers.isEmpty() && !notAsked.isEmpty()) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "the host's nameservers " + notAsked + " are its own "
                    + "loopback addresses, which opsdoc cannot ask from here: name the upstream servers with "
                    + "--set server=ADDRESS, or read /run/systemd/resolve/resolv.conf with --set resolv-conf=");
        }
        List<Lookup> lookups = names.isEmpty() || servers.isEmpty() ? List.of()
                : DnsQueries.ask(names, servers, conf, context);
        return new DnsFacts(path, text, servers, notAsked, lookups);
    }

    /** name → expected addresses (empty: any), from {@code names=}. */
    static Map<String, List<String>> names(Parameters p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String item : p.string("names").split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            String name = (eq < 0 ? s : s.substring(0, eq)).strip();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new UsageException("names: '" + name + "' is not a host name");
            }
            List<String> expected = eq < 0 ? List.of() : List.of(s.substring(eq + 1).strip().split("\\|"));
            out.put(name.endsWith(".") ? name.substring(0, name.length() - 1) : name, expected);
        }
        if (out.size() > 32) {
            throw new UsageException("names: at most 32 names in one run");
        }
        return out;
    }

    @Override
    public void evaluate(DnsFacts facts, Parameters p, Evaluation.Builder out) {
        ResolvConf conf = ResolvConf.parse(facts.resolvConf());
        java.util.function.Supplier<Evidence> confEvidence = () -> Evidence.of("resolv_conf", facts.resolvConfPath(),
                "nameservers", conf.nameservers(), "timeout_s", conf.timeoutSeconds(), "attempts", conf.attempts())
                .putIfPresent("not_asked_from_here", facts.notAsked().isEmpty() ? null : facts.notAsked());
        out.metric(Metric.of("dns_nameservers", conf.nameservers().size(), ""));
        if (conf.nameservers().isEmpty()) {
            out.finding(NO_NAMESERVER, Severity.WARNING, (facts.resolvConf() == null ? facts.resolvConfPath()
                    + " does not exist" : facts.resolvConfPath() + " names no nameserver") + ": glibc then asks "
                    + "127.0.0.1:53, which works only if a local resolver listens there; add nameserver lines (or fix "
                    + "whatever writes the file: NetworkManager, systemd-resolved, dhclient, cloud-init)", confEvidence.get());
        }
        if (conf.nameservers().size() > ResolvConf.MAXNS) {
            List<String> ignored = conf.nameservers().subList(ResolvConf.MAXNS, conf.nameservers().size());
            out.finding(NAMESERVERS_IGNORED, Severity.WARNING, facts.resolvConfPath() + " names "
                    + conf.nameservers().size() + " nameservers; the resolver uses only the first three, so "
                    + ignored + " are never asked (put the reliable ones first, or run a local caching resolver)",
                    confEvidence.get().put("ignored", ignored));
        }
        judgeLookups(facts, conf, names(p), p.duration("slow").toMillis(), out);
    }

    private static void judgeLookups(DnsFacts facts, ResolvConf conf, Map<String, List<String>> names, long slowMs,
            Evaluation.Builder out) {
        boolean anyAnswer = facts.lookups().stream().anyMatch(l -> l.rcode() != null);
        Map<String, List<Lookup>> byServer = new LinkedHashMap<>();
        facts.lookups().forEach(l -> byServer.computeIfAbsent(l.server(), k -> new ArrayList<>()).add(l));
        for (var e : byServer.entrySet()) {
            List<Lookup> failed = e.getValue().stream().filter(l -> l.rcode() == null).toList();
            if (failed.isEmpty() || failed.size() < e.getValue().size()) {
                continue;
            }
            Lookup l = failed.get(0);
            boolean timeout = "TIMEOUT".equals(l.failure());
            String how = timeout ? String.format(Locale.ROOT, "did not answer %d tries of %d s each", l.tries(),
                    conf.timeoutSeconds()) : "REFUSED".equals(l.failure()) ? "refused the query (" + l.error() + "): no DNS "
                    + "service on that address" : "failed: " + l.error();
            String effect = anyAnswer ? (timeout ? "; the next nameserver answered, but each lookup that starts "
                    + "with this one waits options timeout (" + conf.timeoutSeconds() + " s) first"
                    : "; the next nameserver answered, so lookups go on, one server short")
                    : "; no nameserver answered: every lookup on this host fails";
            out.finding(NAMESERVER_DOWN, anyAnswer ? Severity.WARNING : Severity.CRITICAL, "nameserver " + e.getKey()
                    + " " + how + effect, Evidence.of("server", e.getKey(), "failure", l.failure(), "tries", l.tries(),
                            "waited_ms", l.millis(), "names", failed.stream().map(Lookup::name).toList()));
        }
        for (Lookup l : facts.lookups()) {
            Map<String, String> labels = Map.of("name", l.name(), "server", l.server());
            if (l.rcode() == null) {
                continue;
            }
            out.metric(new Metric("dns_lookup_seconds", l.millis() / 1000.0, "s", labels, null, null));
            java.util.function.Supplier<Evidence> ev = () -> Evidence.of("name", l.name(), "server", l.server(), "type", l.type(), "rcode", l.rcode(),
                    "addresses", l.addresses(), "answer_ms", l.millis(), "tries", l.tries());
            if (l.rcode().equals("NXDOMAIN")) {
                out.finding(NAME_NOT_FOUND, Severity.CRITICAL, l.server() + " says " + l.name() + " does not exist "
                        + "(NXDOMAIN): the record was removed or never created, the name is misspelt, or this server "
                        + "serves another view of the zone; clients fail with \"Name or service not known\"", ev.get());
            } else if (!l.rcode().equals("NOERROR")) {
                out.finding(RESOLVER_ERROR, Severity.CRITICAL, l.server() + " answered " + l.rcode() + " for "
                        + l.name() + " instead of an answer: " + rcodeMeaning(l.rcode()), ev.get());
            } else if (l.addresses().isEmpty()) {
                out.finding(NAME_NOT_FOUND, Severity.CRITICAL, l.server() + " knows " + l.name() + " but has no "
                        + l.type() + " record for it (NOERROR with an empty answer)", ev.get());
            } else {
                List<String> expected = names.getOrDefault(l.name(), List.of());
                if (!expected.isEmpty() && expected.stream().noneMatch(l.addresses()::contains)) {
                    out.finding(ADDRESS_MISMATCH, Severity.CRITICAL, l.server() + " resolves " + l.name() + " to "
                            + l.addresses() + ", not the expected " + expected + ": a stale or wrong record, a "
                            + "failover that did not update DNS, or a split-horizon view", ev.get().put("expected", expected));
                }
            }
            if (l.millis() >= slowMs) {
                out.finding(RESOLVER_SLOW, Severity.WARNING, String.format(Locale.ROOT, "%s answered %s after %.0f "
                        + "ms (warning at %d ms)%s", l.server(), l.name(), l.millis(), slowMs, l.tries() > 1
                        ? ", at try " + l.tries() + ": the first query or its answer was lost and the resolver waited "
                                + "its timeout before asking again (UDP loss, a conntrack race on a NAT or "
                                + "Kubernetes node)" : ": a slow upstream or recursion"), ev.get().put("slow_ms", slowMs));
            }
        }
    }

    private static String rcodeMeaning(String rcode) {
        return switch (rcode) {
            case "SERVFAIL" -> "the server could not get an answer (its upstream or the zone's authoritative servers "
                    + "fail, or DNSSEC validation failed)";
            case "REFUSED" -> "the server will not answer this client or this name (no recursion for this source, "
                    + "an ACL, or a forwarder with no upstream for the name)";
            default -> "see the note for this rcode";
        };
    }
}
