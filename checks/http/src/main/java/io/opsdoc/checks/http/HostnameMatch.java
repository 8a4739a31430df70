package io.opsdoc.checks.http;

import java.util.List;
import java.util.Locale;

/**
 * Does a certificate name the host the client asked for? RFC 6125 / RFC 9110 rules as browsers and Go apply them:
 * only subjectAltName counts (the subject CN is ignored), an IP address matches only an iPAddress entry, a DNS name
 * matches a dNSName case-insensitively, and a wildcard stands for exactly one whole left-most label
 * ({@code *.example.com} matches {@code www.example.com}, not {@code example.com} nor {@code a.b.example.com}).
 * Pure: no DNS lookup.
 */
final class HostnameMatch {
    private HostnameMatch() {
    }

    static boolean matches(String host, List<String> dnsNames, List<String> ipAddresses) {
        String h = strip(host);
        if (isIpLiteral(h)) {
            String want = normalizeIp(h);
            return ipAddresses != null && ipAddresses.stream().anyMatch(ip -> normalizeIp(strip(ip)).equals(want));
        }
        if (dnsNames == null) {
            return false;
        }
        String name = h.toLowerCase(Locale.ROOT);
        for (String pattern : dnsNames) {
            if (dnsMatches(name, strip(pattern).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String host, String pattern) {
        if (!pattern.startsWith("*.")) {
            return !pattern.contains("*") && host.equals(pattern);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (suffix.contains("*") || suffix.indexOf('.', 1) < 0) {
            return false; // "*.*.com", "*.com": never valid
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && !label.contains(".");
    }

    private static String strip(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+"));
    }

    /** IPv4 as is; IPv6 expanded to eight lower-case groups without leading zeros, so "::1" equals "0:0:0:0:0:0:0:1". */
    static String normalizeIp(String ip) {
        if (!ip.contains(":")) {
            return ip;
        }
        String s = ip.toLowerCase(Locale.ROOT);
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        String[] groups = new String[8];
        int dbl = s.indexOf("::");
        String[] head = dbl >= 0 ? split(s.substring(0, dbl)) : split(s);
        String[] tail = dbl >= 0 ? split(s.substring(dbl + 2)) : new String[0];
        if (head.length + tail.length > 8) {
            return s;
        }
        for (int i = 0; i < 8; i++) {
            groups[i] = "0";
        }
        for (int i = 0; i < head.length; i++) {
            groups[i] = trimZeros(head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            groups[8 - tail.length + i] = trimZeros(tail[i]);
        }
        return String.join(":", groups);
    }

    private static String[] split(String s) {
        return s.isEmpty() ? new String[0] : s.split(":");
    }

    private static String trimZeros(String g) {
        String t = g.replaceFirst("^0+", "");
        return t.isEmpty() ? "0" : t;
    }
}
