package io.opsdoc.checks.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /proc/net/ip_vs} as the kernel prints it (net/netfilter/ipvs/ip_vs_ctl.c): a virtual service line
 * {@code TCP  0A000064:0050 wlc persistent 360 FFFFFFFF} (addresses and ports in hex, IPv6 as {@code [addr]:port}),
 * fwmark services {@code FWM  00000001 rr}, each followed by its real servers
 * {@code   -> 0A000002:0050      Route   1      0          0} (forwarding method, weight, ActiveConn, InActConn).
 */
final class IpvsTable {

    record RealServer(String address, String forward, long weight, long active, long inactive) {
    }

    record Service(String protocol, String address, String scheduler, String flags, List<RealServer> servers) {
        String name() {
            return protocol + " " + address + " " + scheduler;
        }
    }

    private IpvsTable() {
    }

    static List<Service> parse(String text) {
        List<Service> services = new ArrayList<>();
        String protocol = null;
        String address = null;
        String scheduler = null;
        String flags = null;
        List<RealServer> servers = null;
        for (String line : text.lines().toList()) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("IP Virtual Server") || t.startsWith("Prot ") || t.startsWith("-> RemoteAddress")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f[0].equals("->")) {
                if (servers != null && f.length >= 6) {
                    servers.add(new RealServer(address(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
                            Long.parseLong(f[5])));
                }
                continue;
            }
            if (f.length >= 3 && (f[0].equals("TCP") || f[0].equals("UDP") || f[0].equals("SCTP") || f[0].equals("FWM"))) {
                if (servers != null) {
                    services.add(new Service(protocol, address, scheduler, flags, List.copyOf(servers)));
                }
                protocol = f[0];
                address = f[0].equals("FWM") ? "fwmark " + Long.parseLong(f[1], 16) : address(f[1]);
                scheduler = f[2];
                flags = f.length > 3 ? String.join(" ", java.util.Arrays.copyOfRange(f, 3, f.length)) : "";
                servers = new ArrayList<>();
            }
        }
        if (servers != null) {
            services.add(new Service(protocol, address, scheduler, flags, List.copyOf(servers)));
        }
        return services;
    }

    /** {@code 0A000064:0050} → {@code 10.0.0.100:80}; {@code [2001:0db8:...]:0050} → {@code [2001:db8:...]:80}. */
    static String address(String hex) {
        int colon = hex.lastIndexOf(':');
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        String host = hex.substring(0, colon);
        if (host.startsWith("[")) {
            return "[" + IpAddresses.normalize(host.substring(1, host.length() - 1)) + "]:" + port;
        }
        long v = Long.parseLong(host, 16);
        return String.format(Locale.ROOT, "%d.%d.%d.%d:%d", v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255, port);
    }
}
