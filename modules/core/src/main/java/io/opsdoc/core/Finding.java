package io.opsdoc.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One observation of a check about a target.
 *
 * @param subject  what inside the target it is about when a target has several (a replication channel,
 *                 a topic, a node); null when it is about the target as a whole
 * @param evidence the raw observed values and thresholds that decided it, in the order a reader needs them
 * @param fingerprint stable across runs: check + target + code (+ subject), so baselines and dedup work
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String check, String target, String code, Severity severity, String summary,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> evidence, String note, String subject,
        String fingerprint) {

    public static Finding of(String check, String target, String code, Severity severity, String summary,
            Map<String, Object> evidence, String note, String subject) {
        return new Finding(check, target, code, severity, summary, evidence, note, subject,
                fingerprint(check, target, code, subject));
    }

    public static String fingerprint(String check, String target, String code, String subject) {
        String key = check + "\n" + target + "\n" + code + (subject == null ? "" : "\n" + subject);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
