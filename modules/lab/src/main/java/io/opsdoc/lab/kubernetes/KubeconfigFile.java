package io.opsdoc.lab.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubeconfig the lab writes for a server: context {@value #CONTEXT} (current) and {@code elsewhere}, one token user. */
public final class KubeconfigFile {
    public static final String CONTEXT = "opsdoc-lab";

    private KubeconfigFile() {
    }

    public static String text(String serverUrl) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: " + CONTEXT,
                "  cluster:",
                "    server: " + serverUrl,
                "contexts:",
                "- name: " + CONTEXT,
                "  context:",
                "    cluster: " + CONTEXT,
                "    user: " + CONTEXT,
                "    namespace: default",
                "- name: elsewhere",
                "  context:",
                "    cluster: " + CONTEXT,
                "    user: " + CONTEXT,
                "current-context: " + CONTEXT,
                "users:",
                "- name: " + CONTEXT,
                "  user:",
                "    token: opsdoc-lab-token",
                "");
    }

    /** Writes a kubeconfig for {@code serverUrl} (e.g. a {@link io.opsdoc.lab.SilentTcpServer}) into {@code dir}. */
    public static Path write(Path dir, String serverUrl) {
        Path file = dir.resolve("kubeconfig");
        try {
            Files.writeString(file, text(serverUrl), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
