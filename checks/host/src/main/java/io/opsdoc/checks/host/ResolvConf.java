package io.opsdoc.checks.host;

import java.util.ArrayList;
import java.util.List;

/**
 * /etc/resolv.conf as glibc's stub resolver reads it: {@code nameserver} lines (only the first three, MAXNS, are
 * used), and {@code options timeout:N attempts:N rotate}. Defaults are glibc's: 5 s per try, 2 tries per server.
 */
record ResolvConf(List<String> nameservers, int timeoutSeconds, int attempts, boolean rotate) {
    static final int MAXNS = 3;

    static ResolvConf parse(String text) {
        List<String> servers = new ArrayList<>();
        int timeout = 5;
        int attempts = 2;
        boolean rotate = false;
        for (String raw : text == null ? List.<String>of() : text.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("nameserver") && f.length > 1) {
                servers.add(f[1]);
            } else if (f[0].equals("options")) {
                for (int i = 1; i < f.length; i++) {
                    if (f[i].startsWith("timeout:")) {
                        timeout = bounded(f[i].substring(8), timeout, 30);
                    } else if (f[i].startsWith("attempts:")) {
                        attempts = bounded(f[i].substring(9), attempts, 5);
                    } else if (f[i].equals("rotate")) {
                        rotate = true;
                    }
                }
            }
        }
        return new ResolvConf(List.copyOf(servers), timeout, attempts, rotate);
    }

    /** The nameservers glibc asks: the first three. */
    List<String> used() {
        return nameservers.subList(0, Math.min(MAXNS, nameservers.size()));
    }

    /** glibc clamps both values: timeout to 30 s (RES_MAXRETRANS), attempts to 5 (RES_MAXRETRY); 0 reads as 1. */
    private static int bounded(String v, int fallback, int max) {
        try {
            return Math.max(1, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
