package io.opsdoc.checks.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsing {@code /proc/net/tcp} and {@code /proc/net/tcp6}: addresses in hex as the kernel stores them (the IPv4
 * word in host byte order, little-endian here), ports in hex, the state as its hex number. For LISTEN sockets the
 * rx_queue column is the accept queue's current length (completed handshakes not yet accepted).
 */
final class TcpTable {
    private TcpTable() {
    }

    /** One row; addresses as text ({@code 127.0.0.1}, {@code ::1}). */
    record Socket(String localIp, int localPort, String remoteIp, int remotePort, String state, long txQueue,
            long rxQueue) {
        String remote() {
            return (remoteIp.contains(":") ? "[" + remoteIp + "]" : remoteIp) + ":" + remotePort;
        }

        String local() {
            return (localIp.contains(":") ? "[" + localIp + "]" : localIp) + ":" + localPort;
        }
    }

    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    static List<Socket> parse(String text) {
        List<Socket> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].endsWith(":")) {
                continue; // the header, or a line cut short
            }
            try {
                String[] local = f[1].split(":");
                String[] remote = f[2].split(":");
                int st = Integer.parseInt(f[3], 16);
                String[] q = f[4].split(":");
                out.add(new Socket(ip(local[0]), Integer.parseInt(local[1], 16), ip(remote[0]),
                        Integer.parseInt(remote[1], 16), st < STATES.length ? STATES[st] : "?",
                        Long.parseLong(q[0], 16), Long.parseLong(q[1], 16)));
            } catch (RuntimeException e) {
                // not a socket row
            }
        }
        return out;
    }

    /** 0100007F → 127.0.0.1; the 32-character IPv6 form → a compressed-enough text form. */
    static String ip(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        }
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < 4; w++) {
            String word = hex.substring(w * 8, w * 8 + 8);
            // each 32-bit word is in host (little-endian) order
            String be = word.substring(6, 8) + word.substring(4, 6) + word.substring(2, 4) + word.substring(0, 2);
            s.append(be, 0, 4).append(':').append(be, 4, 8);
            if (w < 3) {
                s.append(':');
            }
        }
        String full = s.toString().toLowerCase(Locale.ROOT);
        if (full.equals("0000:0000:0000:0000:0000:0000:0000:0000")) {
            return "::";
        }
        if (full.startsWith("0000:0000:0000:0000:0000:ffff:")) {
            String v4 = full.substring(30).replace(":", "");
            long v = Long.parseLong(v4, 16);
            return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
        }
        if (full.equals("0000:0000:0000:0000:0000:0000:0000:0001")) {
            return "::1";
        }
        return full;
    }
}
