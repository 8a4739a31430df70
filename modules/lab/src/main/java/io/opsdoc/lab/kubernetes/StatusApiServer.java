package io.opsdoc.lab.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An API server that answers every request with one HTTP status and a Kubernetes {@code Status} body, as a real
 * API server does for a rejected token (401 Unauthorized) or a ServiceAccount without the RBAC rule (403
 * Forbidden). Comes with a kubeconfig pointing at it.
 */
public final class StatusApiServer implements AutoCloseable {
    private final HttpServer server;
    private final Path dir;
    private final Path kubeconfig;

    private StatusApiServer(int status) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String reason = status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "InternalError";
            String message = status == 403
                    ? "nodes is forbidden: User \\\"system:serviceaccount:opsdoc:opsdoc\\\" cannot list resource \\\"nodes\\\" "
                            + "in API group \\\"\\\" at the cluster scope"
                    : status == 401 ? "Unauthorized" : "internal error at " + path;
            byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                    + message + "\",\"reason\":\"" + reason + "\",\"code\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            dir = Files.createTempDirectory("opsdoc-k8s-status");
            kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, KubeconfigFile.text("http://127.0.0.1:" + port()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request with {@code status} (401, 403, 500...). */
    public static StatusApiServer answering(int status) {
        return new StatusApiServer(status);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String targetUri() {
        return "k8s://" + KubeconfigFile.CONTEXT + "?kubeconfig=" + kubeconfig;
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(kubeconfig);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
