package io.opsdoc.lab.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The few pieces of the Redis protocol the lab speaks by hand: commands Jedis has no method for, INFO and RESP2
 * replies read as maps, and raw RESP for the clients that must not behave like a client library.
 *
 * <p>The checks have their own INFO reader ({@code io.opsdoc.checks.redis.Info}); the lab cannot use it (no module
 * of the lab depends on a check module) and the only module both see is the engine, which knows no system. Parsing
 * INFO is one loop, so each keeps its own.
 */
final class RedisWire {
    private RedisWire() {
    }

    enum Cmd implements redis.clients.jedis.commands.ProtocolCommand {
        ACL, REPLICAOF, DEBUG, CLIENT, LATENCY, SENTINEL, CLUSTER;

        @Override
        public byte[] getRaw() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** INFO (or CLUSTER INFO) text as one flat map of field to value, section headers dropped. */
    static Map<String, String> parseInfo(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int c = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || c < 0) {
                continue;
            }
            out.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return out;
    }

    /** A RESP2 flat array of name, value, name, value... as a map. */
    static Map<String, String> pairs(List<?> flat) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return out;
    }

    static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /** {@code name=value} out of a CLIENT LIST line or an INFO field such as {@code ip=..,lag=3}; -1 when absent. */
    static long field(String line, String name) {
        for (String part : line.replace(',', ' ').split(" ")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        return -1;
    }

    static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** Connects without the pool of a client library, sends PING, reads one line: what a retrying app does. */
    static void rawPing(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write(resp("PING").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            in.read(new byte[256]);
        } catch (IOException ignored) {
            // a rejected client sees the error, or a reset
        }
    }

    /** {@code keys} keys of {@code valueBytes} bytes each, pipelined. */
    static void fill(Jedis j, String prefix, int keys, int valueBytes) {
        String value = "v".repeat(valueBytes);
        Pipeline p = j.pipelined();
        for (int i = 0; i < keys; i++) {
            p.set(prefix + i, value);
            if (i % 10_000 == 9_999) {
                p.sync();
            }
        }
        p.sync();
    }

    static long connectedClients(Jedis j) {
        return Long.parseLong(parseInfo(j.info("clients")).get("connected_clients"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
