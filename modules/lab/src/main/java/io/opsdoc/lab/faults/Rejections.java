package io.opsdoc.lab.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Byte-exact "wrong credentials" answers of the protocols opsdoc speaks, for {@link FaultyTcpServer}: enough of
 * each protocol for a real client to get as far as its login and be turned away, with no real server to start.
 */
public final class Rejections {

    private Rejections() {
    }

    /** Redis 6+ answer to AUTH with a wrong password (and to anything after it). */
    public static FaultyTcpServer redisWrongPassword() {
        return FaultyTcpServer.cannedReply("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    }

    /** An API server that answers every request 401, as kube-apiserver does for an unknown bearer token. */
    public static FaultyTcpServer httpUnauthorized() {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";
        return FaultyTcpServer.cannedReply("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /**
     * A MySQL 5.7-style server: a protocol-10 greeting offering mysql_native_password (no TLS), then error 1045
     * for whatever login the client sends.
     */
    public static FaultyTcpServer mysqlAccessDenied() {
        return FaultyTcpServer.greetingThenReply(mysqlGreeting(), mysqlPacket(2, mysqlError1045()));
    }

    private static byte[] mysqlGreeting() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10); // protocol version
        p.writeBytes("5.7.44-opsdoc-fault\0".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {1, 0, 0, 0}); // connection id
        p.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII)); // scramble, first part
        p.write(0);
        // LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION
        p.writeBytes(new byte[] {0x0f, (byte) 0xa2});
        p.write(0x21); // utf8_general_ci
        p.writeBytes(new byte[] {2, 0}); // status: autocommit
        p.writeBytes(new byte[] {0x0b, 0x00}); // MULTI_STATEMENTS | MULTI_RESULTS | PLUGIN_AUTH
        p.write(21); // scramble length
        p.writeBytes(new byte[10]);
        p.writeBytes("ijklmnopqrst\0".getBytes(StandardCharsets.US_ASCII)); // scramble, second part
        p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
        return mysqlPacket(0, p.toByteArray());
    }

    private static byte[] mysqlError1045() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        p.writeBytes(new byte[] {0x15, 0x04}); // 1045, little-endian
        p.writeBytes("#28000".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes("Access denied for user 'monitor'@'localhost' (using password: YES)".getBytes(StandardCharsets.US_ASCII));
        return p.toByteArray();
    }

    private static byte[] mysqlPacket(int sequence, byte[] payload) {
        byte[] packet = new byte[payload.length + 4];
        packet[0] = (byte) payload.length;
        packet[1] = (byte) (payload.length >> 8);
        packet[2] = (byte) (payload.length >> 16);
        packet[3] = (byte) sequence;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        return packet;
    }
}
