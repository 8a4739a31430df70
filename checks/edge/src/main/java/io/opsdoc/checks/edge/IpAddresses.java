package io.opsdoc.checks.edge;

import io.opsdoc.core.UsageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The output of {@code ip -o addr show}, one address per line, and IP literals compared as the kernel stores them. */
final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpAddresses() {
    }

    /**
     * Lines such as {@code 2: vA    inet 10.213.0.100/24 scope global secondary vA\       valid_lft forever ...};
     * lines of another shape are skipped (an {@code ip} without -o support would give none, which the check reports).
     */
    static List<HostAddress> parse(String output) {
        List<HostAddress> all = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":") || !(f[2].equals("inet") || f[2].equals("inet6"))) {
                continue;
            }
            String device = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            int slash = f[3].indexOf('/');
            String address = slash < 0 ? f[3] : f[3].substring(0, slash);
            int prefix = slash < 0 ? (f[2].equals("inet") ? 32 : 128) : parsePrefix(f[3].substring(slash + 1));
            String scope = "";
            for (int i = 4; i + 1 < f.length; i++) {
                if (f[i].equals("scope")) {
                    scope = f[i + 1];
                }
            }
            all.add(new HostAddress(device, f[2], normalize(address), prefix, scope));
        }
        return all;
    }

    private static int parsePrefix(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isLiteral(String s) {
        return IPV4.matcher(s).matches() || IPV6.matcher(s).matches();
    }

    /**
     * An IP literal in one spelling, so that {@code fd00::2} from ip and {@code fd00:0::2} from a parameter compare
     * equal (IPv6 in Java's full lower-case form); anything else unchanged. No name is resolved.
     */
    static String normalize(String literal) {
        if (!isLiteral(literal)) {
            return literal;
        }
        try {
            // a literal: InetAddress parses it without a lookup
            return InetAddress.getByName(literal).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return literal;
        }
    }

    /** The {@code vip} parameter: empty, or IP literals separated by commas; never a name (that would need DNS). */
    static List<String> vips(String parameter) {
        List<String> vips = new ArrayList<>();
        for (String v : parameter.split(",")) {
            String s = v.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.contains("/")) {
                s = s.substring(0, s.indexOf('/')); // keepalived's "10.0.0.100/24": the prefix does not matter here
            }
            if (!isLiteral(s)) {
                throw new UsageException("parameter vip: '" + v.strip() + "' is not an IP address (e.g. 10.0.0.100)");
            }
            vips.add(normalize(s));
        }
        return vips;
    }
}
