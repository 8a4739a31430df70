package io.opsdoc.server.alerts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsdoc.core.Json;
import io.opsdoc.core.UsageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body Alertmanager POSTs to a webhook receiver (payload version 4). Only what opsdoc reads is declared; unknown
 * fields are ignored so that newer Alertmanagers keep working.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertmanagerWebhook(String version, String groupKey, String status, String receiver,
        Map<String, String> commonLabels, String externalURL, List<Alert> alerts) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
            String endsAt, String generatorURL, String fingerprint) {

        public String name() {
            return labels == null ? null : labels.get("alertname");
        }

        public String label(String key) {
            return labels == null ? null : labels.get(key);
        }

        public boolean resolved() {
            return "resolved".equals(status);
        }

        /**
         * Alertmanager's own fingerprint when it sent one, else a hash of the sorted labels: the same alert gets the
         * same key on every resend, which is what deduplication needs.
         */
        public String key() {
            if (fingerprint != null && !fingerprint.isBlank()) {
                return fingerprint;
            }
            StringBuilder b = new StringBuilder();
            new TreeMap<>(labels == null ? Map.<String, String>of() : labels).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final ObjectMapper READER = Json.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Parses and validates a webhook body; anything unusable is a {@link UsageException}, answered with 400. */
    public static AlertmanagerWebhook parse(byte[] body) {
        AlertmanagerWebhook w;
        try {
            w = READER.readValue(body, AlertmanagerWebhook.class);
        } catch (JacksonException e) {
            throw new UsageException("not an Alertmanager webhook payload: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read the request body");
        }
        if (w == null) {
            throw new UsageException("not an Alertmanager webhook payload: the body is empty");
        }
        if (w.version() != null && !w.version().equals("4")) {
            throw new UsageException("Alertmanager webhook payload version " + w.version() + " is not supported (version 4 is)");
        }
        if (w.alerts() == null) {
            throw new UsageException("not an Alertmanager webhook payload: no 'alerts' list");
        }
        for (int i = 0; i < w.alerts().size(); i++) {
            Alert a = w.alerts().get(i);
            if (a == null || a.labels() == null || a.name() == null || a.name().isBlank()) {
                throw new UsageException("alerts[" + i + "] has no labels.alertname");
            }
        }
        return w;
    }
}
