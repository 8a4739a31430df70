package io.opsdoc.checks.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the two certificate settings of the kubelet's config file ({@code /var/lib/kubelet/config.yaml}, a
 * KubeletConfiguration written by kubeadm): {@code rotateCertificates} and {@code serverTLSBootstrap}. Absent keys
 * stay null: the API's default for both is false.
 */
final class KubeletConfigFile {
    private KubeletConfigFile() {
    }

    /** The settings, or null when there is no such file (a node without a kubelet; absent files are not findings). */
    static CertsFacts.KubeletConfig read(Path file, List<String> skipped) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (AccessDeniedException e) {
            skipped.add(file + ": permission denied");
            return null;
        } catch (IOException e) {
            skipped.add(file + ": not YAML");
            return null;
        }
        if (doc == null || !"KubeletConfiguration".equals(doc.path("kind").asText())) {
            skipped.add(file + ": not a KubeletConfiguration");
            return null;
        }
        return new CertsFacts.KubeletConfig(file.toString(), bool(doc, "rotateCertificates"), bool(doc, "serverTLSBootstrap"));
    }

    private static Boolean bool(JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        return v == null || v.isNull() ? null : v.asBoolean();
    }
}
