package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.io.IOException;
import java.net.ConnectException;
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
     * One TCP connect per bootstrap broker until one answers, so "nothing listens" and "no such host" are reported
     * as such: the Admin client would only say it timed out waiting for a node.
     */
    static void requireReachable(CheckContext context) throws ProbeException {
        Target target = context.target();
        List<String> refused = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (Target.HostPort hp : target.hosts()) {
            Target.HostPort where = new Target.HostPort(hp.host(), hp.portOr(DEFAULT_PORT));
            int budget = Math.max(1, Math.min(3_000, context.remainingMillis() - 100));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hp.host(), where.port()), budget);
                return;
            } catch (UnknownHostException e) {
                unresolved.add(hp.host());
            } catch (SocketTimeoutException e) {
                silent.add(where.toString());
            } catch (ConnectException e) {
                refused.add(where.toString());
            } catch (IOException e) {
                refused.add(where + " (" + e.getMessage() + ")");
            }
            if (context.remainingMillis() <= 100) {
                break;
            }
        }
        if (!silent.isEmpty()) {
            throw new ProbeException(ProbeErrors.TIMEOUT, "no TCP answer from " + String.join(", ", silent)
                    + (refused.isEmpty() ? "" : "; connection refused by " + String.join(", ", refused))
                    + " before the deadline (firewall dropping packets, or host down)");
        }
        if (!refused.isEmpty()) {
            throw new ProbeException(ProbeErrors.UNREACHABLE, "connection refused by " + String.join(", ", refused)
                    + (unresolved.isEmpty() ? "" : "; cannot resolve " + String.join(", ", unresolved))
                    + " (is Kafka running and listening on that address?)");
        }
        throw new ProbeException(ProbeErrors.UNREACHABLE, "cannot resolve host " + String.join(", ", unresolved) + " (DNS)");
    }
}
