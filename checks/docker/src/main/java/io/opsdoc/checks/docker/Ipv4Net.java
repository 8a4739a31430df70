package io.opsdoc.checks.docker;

import java.util.List;

/** An IPv4 prefix, e.g. 172.17.0.0/16: what a Docker subnet and a routing-table entry both are. */
record Ipv4Net(long address, int prefix) {
    private static final List<Ipv4Net> RFC1918 = List.of(parse("10.0.0.0/8"), parse("172.16.0.0/12"),
            parse("192.168.0.0/16"));

    /** "172.17.0.0/16" (a bare address is a /32); null for IPv6 or anything else. */
    static Ipv4Net parse(String cidr) {
        if (cidr == null || cidr.contains(":")) {
            return null;
        }
        String[] parts = cidr.trim().split("/", 2);
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4) {
            return null;
        }
        try {
            long a = 0;
            for (String o : octets) {
                int v = Integer.parseInt(o);
                if (v < 0 || v > 255) {
                    return null;
                }
                a = a << 8 | v;
            }
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
            if (prefix < 0 || prefix > 32) {
                return null;
            }
            return new Ipv4Net(a & mask(prefix), prefix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** /proc/net/route's destination and mask: little-endian hex words, e.g. "0011AC" and "0000FFFF". */
    static Ipv4Net fromProcRoute(String destinationHex, String maskHex) {
        long dest = Long.reverseBytes(Long.parseLong(destinationHex, 16)) >>> 32;
        long mask = Long.reverseBytes(Long.parseLong(maskHex, 16)) >>> 32;
        return new Ipv4Net(dest & mask, Long.bitCount(mask));
    }

    /** The gateway column of /proc/net/route as a dotted address. */
    static String fromProcAddress(String hex) {
        return dotted(Long.reverseBytes(Long.parseLong(hex, 16)) >>> 32);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    boolean overlaps(Ipv4Net other) {
        int p = Math.min(prefix, other.prefix);
        return (address & mask(p)) == (other.address & mask(p));
    }

    /** True when every address of {@code other} is in this prefix. */
    boolean contains(Ipv4Net other) {
        return prefix <= other.prefix && (other.address & mask(prefix)) == address;
    }

    /** Inside 10/8, 172.16/12 or 192.168/16 (RFC 1918). */
    boolean isPrivate() {
        return RFC1918.stream().anyMatch(r -> r.contains(this));
    }

    static String dotted(long a) {
        return (a >> 24 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 8 & 0xff) + "." + (a & 0xff);
    }

    @Override
    public String toString() {
        return dotted(address) + "/" + prefix;
    }
}
