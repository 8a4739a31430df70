package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code kafka://b1:9092,b2:9092[?security.protocol=SASL_SSL&sasl.mechanism=SCRAM-SHA-512]}: the bootstrap
 * brokers and the client settings a target may carry. Plain Java on purpose: the Kafka client classes load only
 * in the collectors, when a Kafka check actually runs.
 */
final class KafkaTarget {
    static final int DEFAULT_PORT = 9092;
    /** Client settings a target may pass through; anything else is refused, so a typo is not silently ignored. */
    static final Set<String> PASS_THROUGH = Set.of("security.protocol", "sasl.mechanism", "ssl.truststore.location",
            "ssl.truststore.type", "ssl.endpoint.identification.algorithm", "client.dns.lookup");

    private KafkaTarget() {
    }

    static void validate(Target target) {
        if (target.hosts().isEmpty()) {
            throw new UsageException("target " + target.display() + " names no broker; write kafka://host:9092[,host2:9092]");
        }
        for (String key : target.query().keySet()) {
            if (!PASS_THROUGH.contains(key)) {
                throw new UsageException("target option '" + key + "' is not supported; supported: "
                        + String.join(", ", PASS_THROUGH.stream().sorted().toList()));
            }
        }
        String protocol = target.query().getOrDefault("security.protocol", "").toUpperCase(Locale.ROOT);
        if (target.user().isPresent() && !protocol.isEmpty() && !protocol.startsWith("SASL")) {
            throw new UsageException("target " + target.display() + " names a user but security.protocol=" + protocol
                    + "; a user needs SASL_SSL or SASL_PLAINTEXT");
        }
    }

    static String bootstrap(Target target) {
        return target.hosts().stream().map(h -> new Target.HostPort(h.host(), h.portOr(DEFAULT_PORT)).toString())
                .collect(Collectors.joining(","));
    }

    /**
     * Client properties: bootstrap, pass-through options and, with a user, SASL credentials. Timeouts are set by
     * the session from the deadline.
     */
    static Map<String, Object> clientProperties(CheckContext context) {
        Target target = context.target();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrap(target));
        props.put("client.id", "opsdoc");
        props.putAll(target.query());
        target.user().ifPresent(user -> {
            String mechanism = target.query().getOrDefault("sasl.mechanism", "PLAIN").toUpperCase(Locale.ROOT);
            props.putIfAbsent("security.protocol", "SASL_SSL");
            props.put("sasl.mechanism", mechanism);
            String module = mechanism.startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            String password = context.password().map(p -> p.reveal()).orElse("");
            props.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user) + "\" password=\""
                    + jaasEscape(password) + "\";");
        });
        return props;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * One TCP connect per bootstrap broker until one answers, so "nothing listens", "no such host", "no route" and
     * "resets" are reported as such: the Admin client would only say it timed out waiting for a node. On a plaintext
     * listener the connection also asks ApiVersions (one request, nothing written) and checks the reply's framing, so
     * a port that speaks another protocol, or accepts and never answers, is named too.
     */
    static void requireReachable(CheckContext context) throws ProbeException {
        Target target = context.target();
        Map<FindingCode, List<String>> failures = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        boolean plaintext = clientProperties(context).getOrDefault("security.protocol", "PLAINTEXT").toString()
                .equalsIgnoreCase("PLAINTEXT");
        for (Target.HostPort hp : target.hosts()) {
            Target.HostPort where = new Target.HostPort(hp.host(), hp.portOr(DEFAULT_PORT));
            int budget = Math.max(1, Math.min(3_000, context.remainingMillis() - 100));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hp.host(), where.port()), budget);
                if (!plaintext) {
                    return;
                }
                s.setSoTimeout(Math.max(1, context.remainingMillis() - 100));
                String wrong = apiVersionsAnswer(s);
                if (wrong == null) {
                    return;
                }
                failures.computeIfAbsent(ProbeErrors.PROTOCOL_ERROR, k -> new ArrayList<>()).add(where + " (" + wrong + ")");
            } catch (UnknownHostException e) {
                unresolved.add(hp.host());
            } catch (SocketTimeoutException e) {
                failures.computeIfAbsent(ProbeErrors.TIMEOUT, k -> new ArrayList<>()).add(where.toString());
            } catch (IOException e) {
                FailureClassifier.Failure f = FailureClassifier.network(e, where.toString(), hp.host());
                failures.computeIfAbsent(f != null ? f.code() : ProbeErrors.UNREACHABLE, k -> new ArrayList<>())
                        .add(f != null ? f.reason() : where + " (" + FailureClassifier.oneLine(e) + ")");
            }
            if (context.remainingMillis() <= 100) {
                break;
            }
        }
        String dns = unresolved.isEmpty() ? "" : "; cannot resolve " + String.join(", ", unresolved) + " (DNS)";
        if (failures.containsKey(ProbeErrors.TIMEOUT)) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no answer from the brokers at " + String.join(", ", failures.get(ProbeErrors.TIMEOUT))
                    + " before the deadline (firewall dropping packets, host down, or a broker that accepts and hangs)"
                    + others(failures, ProbeErrors.TIMEOUT) + dns);
        }
        if (failures.containsKey(ProbeErrors.PROTOCOL_ERROR)) {
            throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "not the Kafka protocol: " + String.join(", ",
                    failures.get(ProbeErrors.PROTOCOL_ERROR)) + "; is this a Kafka listener port?"
                    + others(failures, ProbeErrors.PROTOCOL_ERROR) + dns);
        }
        if (!failures.isEmpty()) {
            FindingCode first = failures.keySet().iterator().next();
            throw new ProbeException(first, String.join("; ", failures.get(first)) + others(failures, first) + dns);
        }
        throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host " + String.join(", ", unresolved) + " (DNS)");
    }

    private static String others(Map<FindingCode, List<String>> failures, FindingCode shown) {
        return failures.entrySet().stream().filter(e -> e.getKey() != shown)
                .map(e -> "; " + String.join("; ", e.getValue())).collect(Collectors.joining());
    }

    private static final int CORRELATION_ID = 0x0b5d0c;

    /**
     * Sends ApiVersions v0 and reads the reply's size and correlation id: null when they frame like a Kafka reply,
     * else what was wrong. Throws what the socket throws (timeout, reset), which the caller classifies.
     */
    private static String apiVersionsAnswer(Socket s) throws IOException {
        byte[] clientId = "opsdoc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(4 + 10 + clientId.length);
        request.putInt(10 + clientId.length).putShort((short) 18).putShort((short) 0).putInt(CORRELATION_ID)
                .putShort((short) clientId.length).put(clientId);
        s.getOutputStream().write(request.array());
        s.getOutputStream().flush();
        java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
        int size = in.readInt();
        int correlation = in.readInt();
        if (size < 4 || size > (1 << 20)) {
            return "a reply claiming " + size + " bytes";
        }
        return correlation == CORRELATION_ID ? null : "a reply to a request it was never sent";
    }
}
