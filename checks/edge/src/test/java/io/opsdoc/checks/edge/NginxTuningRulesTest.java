package io.opsdoc.checks.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Finding;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration reader on nginx's own syntax (includes, quotes, comments, nested contexts), and the branches of
 * the configuration rules the tuning lab does not take: fewer workers than CPUs (INFO), an upstream with keepalive
 * but HTTP/1.0 proxying, the limit from worker_rlimit_nofile.
 */
class NginxTuningRulesTest {
    @TempDir
    Path tmp;

    @Test
    void readsIncludesAndContextsAsNginxDoes() throws IOException {
        Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(tmp.resolve("conf.d/site.conf"), """
                upstream app { server 10.0.0.1:8080; server 10.0.0.2:8080 max_fails=3; } # no keepalive
                server {
                    listen 443 ssl;
                    location /api/ { proxy_pass http://app/v1/; }
                    location "/a;b" { keepalive_timeout 0; return 200 "x;}"; }
                }
                """);
        Path main = Files.writeString(tmp.resolve("nginx.conf"), """
                # worker_processes 8;
                worker_processes 4;
                worker_rlimit_nofile 100;
                pid /nonexistent/nginx.pid;
                events { worker_connections 2048; }
                http {
                    keepalive_timeout 65;
                    include conf.d/*.conf;
                    upstream unused { server 10.0.0.9:80; }
                }
                """);
        NginxTuningFacts f = NginxTuningReader.read(main);
        assertThat(f.workerProcesses()).isEqualTo("4");
        assertThat(f.workerConnections()).isEqualTo(2048);
        assertThat(f.rlimitNofile()).isEqualTo(100);
        assertThat(f.masterFdLimit()).isNull();
        assertThat(f.masterFdWhy()).contains("not running");
        assertThat(f.keepaliveOff()).containsExactly("server 443 location /a;b");
        assertThat(f.upstreams()).containsExactly(new NginxTuningFacts.Upstream("app", 2, null));
        assertThat(f.proxyHttp11()).isFalse();
    }

    @Test
    void fewerWorkersThanCpusIsOnlyInformation() {
        List<Finding> findings = evaluate(facts("1", 4, 512, null, 1024L, List.of(), false));
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("WORKERS_NE_CPUS");
            assertThat(x.severity()).isEqualTo(Severity.INFO);
        });
    }

    @Test
    void keepaliveWithoutHttp11IsNeverUsed() {
        List<Finding> findings = evaluate(facts("auto", 2, 512, null, 1024L,
                List.of(new NginxTuningFacts.Upstream("app", 2, 16)), false));
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("UPSTREAM_NO_KEEPALIVE");
            assertThat(x.summary()).contains("proxy_http_version 1.1 is set nowhere");
        });
        assertThat(evaluate(facts("auto", 2, 512, null, 1024L, List.of(new NginxTuningFacts.Upstream("app", 2, 16)),
                true))).isEmpty();
    }

    @Test
    void workerRlimitNofileWinsOverTheMastersLimit() {
        List<Finding> findings = evaluate(facts("auto", 2, 4096, 2048, 1_048_576L, List.of(), true));
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("WORKER_CONNECTIONS_OVER_FD_LIMIT");
            assertThat(x.evidence()).containsEntry("fd_limit", 2048L).containsEntry("fd_limit_source", "worker_rlimit_nofile");
        });
    }

    private static NginxTuningFacts facts(String workers, int cpus, int connections, Integer rlimit, Long master,
            List<NginxTuningFacts.Upstream> upstreams, boolean http11) {
        return new NginxTuningFacts("/etc/nginx/nginx.conf", workers, cpus, connections, rlimit, master, "test",
                List.of(), upstreams, http11);
    }

    private static List<Finding> evaluate(NginxTuningFacts tuning) {
        NginxStatus check = new NginxStatus();
        NginxStatusFacts facts = new NginxStatusFacts("http://n/nginx_status", new StubStatus(1, 10, 10, 10, 0, 1, 0),
                null, 0, tuning);
        return Evaluation.of(check, "nginx://n", facts, Parameters.resolve(check.id(), check.parameters(), Map.of()))
                .findings();
    }
}
