package io.opsdoc.lab.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** The backlog faults of {@link RabbitLab}: queues the lab declares, fills and consumes from; heal deletes them. */
final class BacklogFaults {
    private final AdminApi admin;
    private final AmqpClients amqp;

    BacklogFaults(AdminApi admin, AmqpClients amqp) {
        this.admin = admin;
        this.amqp = amqp;
    }

    private JsonNode queue(String name) {
        return admin.get("/api/queues/%2F/" + AdminApi.enc(name));
    }

    /** 1500 messages in {@code orders}, nobody consuming. */
    void withoutConsumer() throws Exception {
        admin.must("PUT", "/api/queues/%2F/orders", "{\"durable\":true}");
        amqp.publish("orders", 1500, false);
        RabbitLab.await("orders shows 1500 ready", Duration.ofSeconds(60)).until(() -> {
            JsonNode q = queue("orders");
            return q != null && q.path("messages_ready").asLong() == 1500;
        });
    }

    /** 1200 messages in {@code work}, all delivered to a consumer that never acks them. */
    AutoCloseable neverAcked() throws Exception {
        admin.must("PUT", "/api/queues/%2F/work", "{\"durable\":true}");
        amqp.publish("work", 1200, false);
        AutoCloseable consumer = amqp.neverAcks("work");
        RabbitLab.await("work shows 1200 unacked", Duration.ofSeconds(60)).until(() -> {
            JsonNode q = queue("work");
            return q != null && q.path("messages_unacknowledged").asLong() == 1200 && q.path("consumers").asLong() == 1;
        });
        return consumer;
    }

    /** 40 msg/s published to {@code ingest}, one consumer taking 100 ms per message: the queue grows ~30 msg/s. */
    AutoCloseable outpaced() throws Exception {
        admin.must("PUT", "/api/queues/%2F/ingest", "{\"durable\":true}");
        AutoCloseable flow = amqp.outpaced("ingest", 40, 10);
        try {
            // until the broker's 5 s samples over 20 s show it: publishing ahead of delivery, depth up by 200
            RabbitLab.await("ingest growing in the broker's samples", Duration.ofSeconds(90)).until(() -> {
                JsonNode q = admin.get("/api/queues/%2F/ingest?msg_rates_age=20&msg_rates_incr=5&lengths_age=20&lengths_incr=5");
                if (q == null) {
                    return false;
                }
                JsonNode pub = q.path("message_stats").path("publish_details").path("samples");
                JsonNode len = q.path("messages_details").path("samples");
                return pub.size() >= 4 && len.size() >= 4
                        && len.get(0).path("sample").asLong() - len.get(len.size() - 1).path("sample").asLong() >= 200;
            });
        } catch (RuntimeException e) {
            flow.close();
            throw e;
        }
        return flow;
    }

    /** One message stamped with the time it was published in {@code audit}, left there 6 s. */
    void oldHead() throws Exception {
        admin.must("PUT", "/api/queues/%2F/audit", "{\"durable\":true}");
        long published = System.currentTimeMillis() / 1000;
        amqp.publish("audit", 1, true);
        RabbitLab.await("audit's head message 6 s old", Duration.ofSeconds(60)).until(() -> {
            JsonNode q = queue("audit");
            return q != null && q.path("head_message_timestamp").asLong() > 0
                    && System.currentTimeMillis() / 1000 - published >= 6;
        });
    }
}
