package io.opsdoc.core.config;

/**
 * Where {@code opsdoc serve} forwards alerts once it has a verdict. The URL is a secret: chat robot webhooks carry
 * their access token in the query string, so it comes from the environment or a file like a password.
 *
 * @param type   webhook (opsdoc's JSON), slack, dingtalk, wecom or feishu
 * @param secret the robot's signing secret (DingTalk "加签", Feishu "签名校验"); null when unsigned
 */
public record ForwardConfig(String name, String type, SecretRef url, SecretRef secret) {
    public static final java.util.Set<String> TYPES = java.util.Set.of("webhook", "slack", "dingtalk", "wecom", "feishu");
}
