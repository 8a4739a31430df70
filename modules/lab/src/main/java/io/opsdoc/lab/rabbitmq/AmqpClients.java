package io.opsdoc.lab.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's AMQP 0-9-1 clients (the management API can publish, but cannot hold a delivery unacknowledged, consume
 * slowly, or keep a connection open): publishers and consumers that behave the way the faults need.
 */
final class AmqpClients {
    private final int port;
    private final String user;
    private final String password;

    AmqpClients(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
    }

    Connection connect(int amqpPort) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(amqpPort);
        f.setUsername(user);
        f.setPassword(password);
        f.setConnectionTimeout(10_000);
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection("opsdoc-lab");
    }

    /** {@code count} persistent messages to {@code queue}, stamped with the current time when {@code timestamp}. */
    void publish(String queue, int count, boolean timestamp) throws Exception {
        try (Connection c = connect(port); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            byte[] body = "opsdoc-lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder().deliveryMode(2);
                if (timestamp) {
                    props.timestamp(new Date());
                }
                ch.basicPublish("", queue, props.build(), body);
            }
            ch.waitForConfirmsOrDie(30_000);
        }
    }

    /** A consumer with no prefetch limit that takes every message and never acknowledges one. */
    AutoCloseable neverAcks(String queue) throws Exception {
        Connection c = connect(port);
        Channel ch = c.createChannel();
        ch.basicQos(0);
        ch.basicConsume(queue, false, "opsdoc-lab-never-acks", new DefaultConsumer(ch));
        return c::close;
    }

    /**
     * Publishes {@code publishPerSecond} and consumes with one consumer (prefetch 1) that spends
     * {@code 1000 / consumePerSecond} ms on each message before acking it: the consumer is slower than the producer.
     */
    AutoCloseable outpaced(String queue, int publishPerSecond, int consumePerSecond) throws Exception {
        Connection c = connect(port);
        Channel consume = c.createChannel();
        consume.basicQos(1);
        long work = 1000L / consumePerSecond;
        consume.basicConsume(queue, false, "opsdoc-lab-slow", new DefaultConsumer(consume) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                try {
                    Thread.sleep(work); // the consumer's processing time, which is the fault
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                    // the scenario is over and closed the connection
                }
            }
        });
        Channel publish = c.createChannel();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opsdoc-lab-rabbit-publisher");
            t.setDaemon(true);
            return t;
        });
        byte[] body = "opsdoc-lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        timer.scheduleAtFixedRate(() -> {
            try {
                publish.basicPublish("", queue, null, body);
            } catch (IOException | RuntimeException e) {
                // the connection is closing at the end of the scenario
            }
        }, 0, 1_000_000L / publishPerSecond, TimeUnit.MICROSECONDS);
        return () -> {
            timer.shutdownNow();
            c.close();
        };
    }

    /** {@code count} idle connections to the node on {@code amqpPort}: each holds a socket and a descriptor there. */
    AutoCloseable connections(int amqpPort, int count) throws Exception {
        List<Connection> open = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            for (Connection c : open) {
                try {
                    c.abort(2000);
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                open.add(connect(amqpPort));
            }
        } catch (Exception e) {
            closeAll.close();
            throw e;
        }
        return closeAll;
    }
}
