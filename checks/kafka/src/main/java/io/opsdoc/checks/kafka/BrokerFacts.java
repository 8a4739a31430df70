package io.opsdoc.checks.kafka;

/**
 * One broker as the cluster metadata lists it.
 *
 * @param fenced true when the broker is registered but fenced: shut down, crashed, or not caught up with the
 *               metadata log. Fenced brokers are listed only by brokers that support it (Kafka 4.0+).
 */
public record BrokerFacts(int id, String host, int port, String rack, boolean fenced) {
    String address() {
        return host == null || host.isEmpty() ? "broker " + id : host + ":" + port;
    }
}
