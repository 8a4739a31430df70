package io.opsdoc.cli;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.ParameterType;
import io.opsdoc.server.alerts.AlertService;
import java.time.Duration;
import java.util.List;
import io.opsdoc.core.Secret;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.ConfigException;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.ForwardConfig;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.server.OpsdocServer;
import io.opsdoc.server.ProbeService;
import io.opsdoc.server.TargetAllowList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = {"Serve /probe (a Prometheus multi-target exporter), /metrics, /healthz and the "
        + "runbook pages under /notes/, and receive Alertmanager's webhook on POST /alerts (live verdicts, forwarded to the "
        + "config's receivers).", "Targets and credentials come from the config; /probe?target= takes a config name, or a URI without credentials "
        + "whose hosts --allow-targets lists."},
        footer = {"", "Prometheus: scrape http://HOST:PORT/probe with params {check: [mysql-replication]} and relabel __param_target,",
                "as for blackbox_exporter; Prometheus' X-Prometheus-Scrape-Timeout-Seconds bounds every probe."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "opsdoc.yaml: named targets with their credentials (default: OPSDOC_CONFIG, else the first of "
                    + "./opsdoc.yaml, $XDG_CONFIG_HOME/opsdoc/opsdoc.yaml, /etc/opsdoc/opsdoc.yaml; none: URIs only)")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464",
            description = "where to listen (default ${DEFAULT-VALUE}: loopback only)")
    String listen;

    @Option(names = "--token-env", paramLabel = "VAR", description = "require 'Authorization: Bearer <token>' with the token from this variable")
    String tokenEnv;

    @Option(names = "--token-file", paramLabel = "FILE", description = "the same, with the token from this file")
    Path tokenFile;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "32", description = "most requests served at once (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--public-url", paramLabel = "URL", description = "how users reach this server (e.g. https://opsdoc.example); "
            + "verdicts then link to its /notes/ pages")
    String publicUrl;

    @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en", description = "language of the note excerpts in verdicts (en, zh)")
    String lang;

    @Option(names = "--alert-wait", paramLabel = "DURATION", defaultValue = "5s",
            description = "longest a webhook call waits for verdicts; later ones are forwarded when done (default ${DEFAULT-VALUE})")
    String alertWait;

    @Option(names = "--alert-dedup", paramLabel = "DURATION", defaultValue = "5m",
            description = "the same alert and status within this window is answered from memory, not re-checked (default ${DEFAULT-VALUE})")
    String alertDedup;

    @Option(names = "--alert-workers", paramLabel = "N", defaultValue = "4", description = "checks run for alerts at once (default ${DEFAULT-VALUE})")
    int alertWorkers;

    @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "1MiB", description = "largest request body (default ${DEFAULT-VALUE}); larger is 413")
    String maxBody;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "0",
            description = "requests per second per client address, 0 = no limit (default); more is 429")
    double rateLimit;

    @Option(names = "--max-probes", paramLabel = "N", defaultValue = "64",
            description = "checks running at once over all targets, each on its own thread (default ${DEFAULT-VALUE}); per-target in the config bounds one server")
    int maxProbes;

    @Option(names = "--max-queued", paramLabel = "N", defaultValue = "1024",
            description = "probes waiting for a slot over all targets (default ${DEFAULT-VALUE}); more are answered at once as rejected")
    int maxQueued;

    @Option(names = "--max-queued-per-target", paramLabel = "N", defaultValue = "64",
            description = "probes waiting for a slot of one server (default ${DEFAULT-VALUE})")
    int maxQueuedPerTarget;

    @Option(names = "--allow-targets", paramLabel = "LIST", split = ",",
            description = "URI targets /probe may connect to: HOST, *.DOMAIN, IP or CIDR, each with an optional :PORT or :LOW-HIGH "
                    + "(repeatable, comma-separated). Default: none, only the config's named targets")
    List<String> allowTargets = List.of();

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "serve HTTPS with the certificate and key in this PKCS#12 file")
    Path tlsKeystore;

    @Option(names = "--tls-password-env", paramLabel = "VAR", description = "the key store's password, from this variable")
    String tlsPasswordEnv;

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new UsageException("--listen must be HOST:PORT, e.g. 127.0.0.1:9464");
        }
        String host = colon > 0 ? listen.substring(0, colon) : "127.0.0.1";
        Optional<Secret> token = token();
        if (token.isEmpty() && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            parent.err.println("opsdoc: warning: listening on " + host + " without --token-env: anyone who reaches it can run probes");
        }
        CheckRegistry registry = CheckRegistry.load();
        OpsdocConfig cfg = config == null ? null : ConfigLoader.load(config, registry);
        if (cfg != null) {
            cfg.warnings().forEach(w -> parent.err.println("opsdoc: warning: " + w));
            cfg = withUsableReceivers(cfg);
        }
        Optional<OpsdocServer.Tls> tls = Optional.empty();
        if (tlsKeystore != null) {
            if (!Files.isReadable(tlsKeystore)) {
                throw new UsageException("--tls-keystore " + tlsKeystore + ": cannot read it");
            }
            String pw = tlsPasswordEnv == null ? "" : parent.env.get(tlsPasswordEnv);
            if (pw == null) {
                throw new UsageException("--tls-password-env " + tlsPasswordEnv + ": that environment variable is not set");
            }
            tls = Optional.of(new OpsdocServer.Tls(tlsKeystore, Secret.of(pw, "the key store password")));
        }
        if (!List.of("en", "zh").contains(lang)) {
            throw new UsageException("--lang must be en or zh");
        }
        AlertService.Settings alerts = new AlertService.Settings(duration("--alert-wait", alertWait), duration("--alert-dedup", alertDedup),
                Math.max(1, alertWorkers), 100, publicUrl, lang);
        long body;
        try {
            body = (Long) ParameterType.BYTES.parse(maxBody);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--max-body: " + e.getMessage());
        }
        if (maxProbes < 1 || maxQueued < 0 || maxQueuedPerTarget < 0) {
            throw new UsageException("--max-probes must be at least 1, --max-queued and --max-queued-per-target at least 0");
        }
        TargetAllowList allow = TargetAllowList.parse(allowTargets);
        OpsdocServer.Settings settings = new OpsdocServer.Settings(host, port, token, threads, body, rateLimit, tls, alerts)
                .withProbes(new ProbeService.Limits(maxProbes, maxQueued, maxQueuedPerTarget), allow);
        try (OpsdocServer server = new OpsdocServer(settings, cfg, registry,
                NoteCatalog.load(), parent.env)) {
            server.start();
            parent.out.println("opsdoc serving on " + (tls.isPresent() ? "https://" : "http://") + listen
                    + "  (/probe, /alerts, /metrics, /healthz, /notes/)");
            server.join();
        }
        return 0;
    }

    /**
     * A forward receiver whose URL or signing secret is not available (its variable unset, its file unreadable) is
     * left out with a warning instead of refusing to start: /probe, /notes and the verdicts themselves work without
     * it, and a monitoring server that will not start is worse than one that cannot yet post to a chat room.
     */
    private OpsdocConfig withUsableReceivers(OpsdocConfig cfg) {
        List<ForwardConfig> usable = new java.util.ArrayList<>();
        for (ForwardConfig f : cfg.forward()) {
            try {
                f.url().resolve(parent.env);
                if (f.secret() != null) {
                    f.secret().resolve(parent.env);
                }
                usable.add(f);
            } catch (ConfigException e) {
                parent.err.println("opsdoc: warning: forward receiver '" + f.name() + "' disabled: " + e.getMessage());
            }
        }
        if (usable.size() == cfg.forward().size()) {
            return cfg;
        }
        return new OpsdocConfig(cfg.source(), cfg.timeout(), cfg.concurrency(), cfg.perTarget(), cfg.targets(),
                cfg.waivers(), cfg.alerts(), List.copyOf(usable), cfg.warnings());
    }

    private static Duration duration(String option, String value) {
        try {
            return (Duration) ParameterType.DURATION.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private Optional<Secret> token() throws IOException {
        if (tokenEnv != null) {
            String v = parent.env.get(tokenEnv);
            if (v == null || v.isEmpty()) {
                throw new UsageException("--token-env " + tokenEnv + ": that environment variable is not set");
            }
            return Optional.of(Secret.of(v, "environment variable " + tokenEnv));
        }
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new UsageException("--token-file " + tokenFile + ": cannot read it");
            }
            return Optional.of(Secret.of(Files.readString(tokenFile, StandardCharsets.UTF_8).strip(), "file " + tokenFile));
        }
        return Optional.empty();
    }
}
