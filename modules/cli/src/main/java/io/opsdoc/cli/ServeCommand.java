package io.opsdoc.cli;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.Secret;
import io.opsdoc.core.UsageException;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.config.OpsdocConfig;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.server.OpsdocServer;
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
        + "runbook pages under /notes/.", "Targets and credentials come from the config; /probe?target= takes a config name or a URI without credentials."},
        footer = {"", "Prometheus: scrape http://HOST:PORT/probe with params {check: [mysql-replication]} and relabel __param_target,",
                "as for blackbox_exporter; Prometheus' X-Prometheus-Scrape-Timeout-Seconds bounds every probe."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Opsdoc parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "opsdoc.yaml: named targets with their credentials")
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
        }
        try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings(host, port, token, threads), cfg, registry,
                NoteCatalog.load(), parent.env)) {
            server.start();
            parent.out.println("opsdoc serving on http://" + listen + "  (/probe, /metrics, /healthz, /notes/)");
            server.join();
        }
        return 0;
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
