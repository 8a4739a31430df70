package io.opsdoc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsdoc.core.CheckRegistry;
import io.opsdoc.core.config.ConfigLoader;
import io.opsdoc.core.notes.NoteCatalog;
import io.opsdoc.lab.http.HttpLab;
import io.opsdoc.lab.http.LabCertificates.Kind;
import io.opsdoc.server.OpsdocServer;
import io.opsdoc.server.ProbeService;
import io.opsdoc.server.TargetAllowList;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `/probe` and `--format prometheus` are one encoder: on the same real HTTPS target they expose the same series names
 * and, but for `target`, the same labels, and `promtool check metrics` (Prometheus' own linter) accepts both.
 */
@Tag("lab")
class PrometheusExpositionLabTest {

    @TempDir
    Path dir;

    @Test
    void probeAndFileFormatAgreeAndPassPromtool() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool");
        HttpLab lab = HttpLab.shared();
        lab.heal();
        String url = lab.httpsUrl(Kind.VALID, "/healthz");
        Path ca = lab.caFile();

        Cli file = Cli.run("check", "http-status", url, "--set", "ca-file=" + ca, "--format", "prometheus");
        assertThat(file.exit()).as(file.all()).isZero();
        ExternalTool.Result lintFile = promtool.runWithInput(file.out(), "check", "metrics");
        assertThat(lintFile.exit()).as(lintFile.output() + "\n" + file.out()).isZero();

        Path cfg = dir.resolve("opsdoc.yaml");
        Files.writeString(cfg, "targets:\n  shop:\n    uri: \"" + url + "\"\n    checks: {http-status: {ca-file: \"" + ca + "\"}}\n");
        CheckRegistry registry = CheckRegistry.load();
        try (OpsdocServer server = new OpsdocServer(new OpsdocServer.Settings("127.0.0.1", 0, Optional.empty(), 8)
                .withProbes(ProbeService.Limits.defaults(), TargetAllowList.parse(List.of())),
                ConfigLoader.load(cfg, registry), registry, NoteCatalog.load(), Map.of())) {
            server.start();
            HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.address().getPort() + "/probe?check=http-status&target=" + URLEncoder.encode("shop", StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(probe.statusCode()).isEqualTo(200);
            ExternalTool.Result lintProbe = promtool.runWithInput(probe.body(), "check", "metrics");
            assertThat(lintProbe.exit()).as(lintProbe.output() + "\n" + probe.body()).isZero();

            assertThat(probe.body()).contains("opsdoc_probe_success{check=\"http-status\"} 1\n").doesNotContain("target=");
            assertThat(file.out()).contains("opsdoc_probe_success{check=\"http-status\",target=\"" + url + "\"} 1\n");
            assertThat(shapes(probe.body())).isEqualTo(shapes(file.out().replace(",target=\"" + url + "\"", "")));
        }
    }

    /** Each sample's name and label names, without values: what a dashboard or rule depends on. */
    private static Set<String> shapes(String exposition) {
        Set<String> s = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            String series = l.substring(0, l.lastIndexOf(' '));
            s.add(series.replaceAll("=\"(?:[^\"\\\\]|\\\\.)*\"", ""));
        });
        return s;
    }
}
