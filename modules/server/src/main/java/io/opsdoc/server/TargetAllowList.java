package io.opsdoc.server;

import io.opsdoc.core.Target;
import io.opsdoc.core.UsageException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which URI targets {@code /probe} (and {@code /alerts}) may connect to: {@code --allow-targets}. Empty means none,
 * only the config's named targets. Without it, anyone holding the token could make opsdoc connect to any host and
 * port it can reach (the multi-target exporter's server-side request forgery shape: cloud metadata, admin ports).
 *
 * <p>Entries: {@code HOST}, {@code *.DOMAIN}, an IP address or a CIDR, each optionally with {@code :PORT} or
 * {@code :LOW-HIGH} ({@code [IPv6]:PORT}). Every host of the target must match. Names match names and addresses
 * match addresses: a CIDR never matches a host name, because resolving it here and connecting later would let DNS
 * answer differently the second time (rebinding).
 */
public final class TargetAllowList {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?");
    /** The port a check uses when the URI names none, so {@code redis://h} is matched as h:6379. */
    /** The port each check uses when a target names none: a URI without a port is matched against this one. */
    private static final Map<String, Integer> DEFAULT_PORTS = Map.ofEntries(Map.entry("http", 80), Map.entry("https", 443),
            Map.entry("mysql", 3306), Map.entry("redis", 6379), Map.entry("rediss", 6379), Map.entry("redis-sentinel", 26379),
            Map.entry("kafka", 9092), Map.entry("zk", 2181), Map.entry("rabbitmq", 15672), Map.entry("rabbitmqs", 15671),
            Map.entry("memcached", 11211), Map.entry("nginx", 80), Map.entry("haproxy", 80), Map.entry("prometheus", 9090),
            Map.entry("docker+tcp", 2375));

    private record Entry(String text, String name, byte[] network, int prefix, int low, int high) {
        boolean portMatches(int port) {
            return low < 0 || port >= low && port <= high;
        }
    }

    private final List<Entry> entries;

    private TargetAllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The default: URI targets are refused, config names only. */
    public static TargetAllowList none() {
        return new TargetAllowList(List.of());
    }

    /** Parses comma-separated entries (each argument may hold several); a bad entry is a usage error naming it. */
    public static TargetAllowList parse(List<String> args) {
        List<Entry> out = new ArrayList<>();
        for (String arg : args) {
            for (String raw : arg.split(",")) {
                String e = raw.strip();
                if (!e.isEmpty()) {
                    out.add(entry(e));
                }
            }
        }
        return new TargetAllowList(out);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Null when every host of the target is allowed, else why not (safe to show: it names only the target). */
    public String refusal(Target target) {
        if (entries.isEmpty()) {
            return "target " + target.display() + " is not a target of the config; serve probes URI targets only when "
                    + "--allow-targets lists their hosts (name a target of the config file instead)";
        }
        if (target.hosts().isEmpty()) {
            return "target " + target.display() + " names no host that --allow-targets could allow; name a target of the config file";
        }
        for (Target.HostPort hp : target.hosts()) {
            int port = hp.port() > 0 ? hp.port() : DEFAULT_PORTS.getOrDefault(target.scheme(), -1);
            if (!allowed(hp.host(), port)) {
                return "target host " + hp + " is not in --allow-targets";
            }
        }
        return null;
    }

    boolean allowed(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        byte[] address = literal(h);
        for (Entry e : entries) {
            if (!e.portMatches(port)) {
                continue;
            }
            if (e.network() != null ? address != null && inNetwork(address, e.network(), e.prefix())
                    : address == null && nameMatches(h, e.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean nameMatches(String host, String pattern) {
        return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1 : host.equals(pattern);
    }

    private static boolean inNetwork(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        BigInteger all = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE);
        BigInteger mask = all.xor(all.shiftRight(prefix)); // the top prefix bits
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    /** The address of an IP literal, null for a name; never a DNS lookup. Odd IPv4 forms (127.1, 0177.0.0.1) count as names. */
    private static byte[] literal(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                for (String part : host.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        return null;
                    }
                }
                return InetAddress.getByName(host).getAddress();
            }
            if (host.contains(":")) {
                String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                return InetAddress.getByName(h).getAddress(); // a colon makes it an IPv6 literal: no DNS
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static Entry entry(String e) {
        String hostPart = e;
        int low = -1;
        int high = -1;
        String portPart = null;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw bad(e, "an IPv6 entry is [ADDRESS] or [ADDRESS/PREFIX], optionally with :PORT");
            }
            hostPart = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(e, "expected :PORT after ]");
                }
                portPart = rest.substring(1);
            }
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            hostPart = e.substring(0, e.indexOf(':'));
            portPart = e.substring(e.indexOf(':') + 1);
        }
        if (portPart != null) {
            String[] range = portPart.split("-", -1);
            try {
                low = Integer.parseInt(range[0]);
                high = range.length == 2 ? Integer.parseInt(range[1]) : range.length == 1 ? low : -2;
            } catch (NumberFormatException x) {
                throw bad(e, "the port must be a number or a range LOW-HIGH");
            }
            if (low < 1 || high > 65535 || high < low) {
                throw bad(e, "ports are 1-65535, LOW-HIGH with LOW <= HIGH");
            }
        }
        String host = hostPart.toLowerCase(Locale.ROOT);
        int slash = host.indexOf('/');
        if (slash >= 0 || literal(host) != null) {
            byte[] network = literal(slash >= 0 ? host.substring(0, slash) : host);
            if (network == null) {
                throw bad(e, "a CIDR is an IP address, '/', and a prefix length (10.0.0.0/8, fd00::/8)");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(host.substring(slash + 1));
                } catch (NumberFormatException x) {
                    throw bad(e, "the prefix length must be a number");
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw bad(e, "the prefix length must be 0-" + network.length * 8);
                }
            }
            return new Entry(e, null, network, prefix, low, high);
        }
        if (host.endsWith(".") && host.length() > 1) {
            host = host.substring(0, host.length() - 1);
        }
        if (!NAME.matcher(host).matches()) {
            throw bad(e, "expected a host name, *.domain, an IP address or a CIDR, optionally with :PORT");
        }
        return new Entry(e, host, null, 0, low, high);
    }

    private static UsageException bad(String entry, String why) {
        return new UsageException("--allow-targets entry '" + entry + "': " + why);
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "(config targets only)" : String.join(",", entries.stream().map(Entry::text).toList());
    }
}
