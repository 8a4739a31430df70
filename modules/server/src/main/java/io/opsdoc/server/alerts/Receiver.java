package io.opsdoc.server.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.opsdoc.core.Json;
import io.opsdoc.core.Secret;
import io.opsdoc.core.config.ForwardConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One configured receiver and the request its format needs. The URL and signing secret are secrets (robot URLs
 * carry their access token), so {@link #toString()} and every error name the receiver, never its URL.
 */
final class Receiver {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
    private final String name;
    private final String type;
    private final Secret url;
    private final Secret signing;
    private final Clock clock;

    Receiver(ForwardConfig config, Map<String, String> env, Clock clock) {
        this.name = config.name();
        this.type = config.type();
        this.url = config.url().resolve(env);
        this.signing = config.secret() == null ? null : config.secret().resolve(env);
        this.clock = clock;
        try {
            URI u = URI.create(url.reveal());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new io.opsdoc.core.config.ConfigException("forward receiver " + name + ": its url is not an http(s) URL");
        }
    }

    String name() {
        return name;
    }

    String type() {
        return type;
    }

    HttpRequest request(AlertVerdict v) {
        long now = clock.millis();
        String target = url.reveal();
        Object body = switch (type) {
            case "slack" -> Map.of("text", ForwardMessage.markdown(v, 3000).replace("**", "*"));
            case "dingtalk" -> {
                if (signing != null) {
                    // DingTalk 加签: HMAC-SHA256 over "timestamp\nsecret" keyed with the secret, base64, URL-encoded.
                    String sign = URLEncoder.encode(hmac(signing.reveal(), now + "\n" + signing.reveal()), StandardCharsets.UTF_8);
                    target = target + (target.contains("?") ? "&" : "?") + "timestamp=" + now + "&sign=" + sign;
                }
                yield Map.of("msgtype", "markdown", "markdown", Map.of("title", ForwardMessage.title(v), "text", ForwardMessage.markdown(v, 4000)));
            }
            case "wecom" -> Map.of("msgtype", "markdown", "markdown", Map.of("content", ForwardMessage.markdown(v, 1300)));
            case "feishu" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                if (signing != null) {
                    // Feishu 签名校验: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, base64; seconds.
                    long seconds = now / 1000;
                    m.put("timestamp", Long.toString(seconds));
                    m.put("sign", hmac(seconds + "\n" + signing.reveal(), ""));
                }
                m.put("msg_type", "text");
                m.put("content", Map.of("text", ForwardMessage.markdown(v, 4000).replace("**", "")));
                yield m;
            }
            default -> Map.of("version", "opsdoc.alert/v1", "verdict", v);
        };
        byte[] json;
        try {
            json = COMPACT.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the message for receiver " + name, e);
        }
        return HttpRequest.newBuilder(URI.create(target)).timeout(TIMEOUT).header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "opsdoc").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    }

    static String hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return type + " receiver " + name;
    }
}
