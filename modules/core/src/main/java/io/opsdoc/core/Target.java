package io.opsdoc.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a check runs against, written as a URI: {@code mysql://monitor@db1:3306},
 * {@code kafka://b1:9092,b2:9092}, {@code k8s://context}, {@code local:}.
 *
 * <p>{@link java.net.URI} rejects comma-separated host lists, so the authority is parsed here.
 * A password embedded in the URI is accepted but flagged ({@link #passwordInUri()}), because it is
 * visible in the process list; {@link #display()} never contains it.
 */
public final class Target {
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");

    private final String scheme;
    private final String user;
    private final Secret uriPassword;
    private final List<HostPort> hosts;
    private final String path;
    private final Map<String, String> query;
    private final String rawQuery;
    private final boolean opaque;

    public record HostPort(String host, int port) {
        /** Port or the given default when the URI named none (port -1). */
        public int portOr(int defaultPort) {
            return port > 0 ? port : defaultPort;
        }

        @Override
        public String toString() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return port > 0 ? h + ":" + port : h;
        }
    }

    private Target(String scheme, String user, Secret uriPassword, List<HostPort> hosts, String path,
            Map<String, String> query, String rawQuery, boolean opaque) {
        this.opaque = opaque;
        this.rawQuery = rawQuery;
        this.scheme = scheme;
        this.user = user;
        this.uriPassword = uriPassword;
        this.hosts = List.copyOf(hosts);
        this.path = path;
        this.query = Collections.unmodifiableMap(query);
    }

    public static Target parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UsageException("empty target; expected a URI such as mysql://monitor@db1:3306");
        }
        String s = text.trim();
        int colon = s.indexOf(':');
        if (colon <= 0 || !SCHEME.matcher(s.substring(0, colon)).matches()) {
            throw new UsageException("target '" + redactForMessage(s) + "' has no scheme; expected e.g. mysql://monitor@db1:3306");
        }
        String scheme = s.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String rest = s.substring(colon + 1);
        if (!rest.startsWith("//")) {
            if (rest.matches("\\d+.*")) {
                // "db1:3306": a host and port without a scheme, not an opaque URI
                throw new UsageException("target '" + redactForMessage(s) + "' has no scheme; expected e.g. mysql://monitor@" + s);
            }
            // opaque form, e.g. "local:"
            return new Target(scheme, null, null, List.of(), rest, Map.of(), "", true);
        }
        rest = rest.substring(2);
        // a fragment (#...) is never sent to a server: drop it, but only after the authority, where '#' may be
        // part of a password
        int authorityEnd = firstOf(rest, '/', '?');
        if (authorityEnd >= 0) {
            int hash = rest.indexOf('#', authorityEnd);
            if (hash >= 0) {
                rest = rest.substring(0, hash);
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        String rawQuery = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            rawQuery = rest.substring(q + 1);
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.put(k, v);
            }
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash);
            rest = rest.substring(0, slash);
        }
        String user = null;
        Secret password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int c = userInfo.indexOf(':');
            if (c >= 0) {
                password = Secret.of(decode(userInfo.substring(c + 1)), "the target URI");
                userInfo = userInfo.substring(0, c);
            }
            user = userInfo.isEmpty() ? null : decode(userInfo);
        }
        List<HostPort> hosts = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String hp : rest.split(",")) {
                hosts.add(parseHostPort(hp, s));
            }
        }
        return new Target(scheme, user, password, hosts, path, query, rawQuery, false);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static HostPort parseHostPort(String hp, String whole) {
        String host;
        String port = null;
        if (hp.startsWith("[")) {
            int end = hp.indexOf(']');
            if (end < 0) {
                throw new UsageException("target '" + redactForMessage(whole) + "': unclosed '[' in IPv6 address");
            }
            host = hp.substring(1, end);
            String after = hp.substring(end + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new UsageException("target '" + redactForMessage(whole) + "': unexpected '" + after + "' after IPv6 address");
            }
        } else {
            int c = hp.lastIndexOf(':');
            host = c >= 0 ? hp.substring(0, c) : hp;
            port = c >= 0 ? hp.substring(c + 1) : null;
        }
        if (host.isEmpty()) {
            throw new UsageException("target '" + redactForMessage(whole) + "' has an empty host");
        }
        int p = -1;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = 0;
            }
            if (p < 1 || p > 65535) {
                throw new UsageException("target '" + redactForMessage(whole) + "': port '" + port + "' is not a number from 1 to 65535");
            }
        }
        return new HostPort(host, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A malformed URI may still hold a password; messages must not echo it. */
    private static String redactForMessage(String s) {
        return s.replaceAll("(//[^/@:]*):[^@/]*@", "$1:****@");
    }

    public String scheme() {
        return scheme;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public Optional<Secret> uriPassword() {
        return Optional.ofNullable(uriPassword);
    }

    public boolean passwordInUri() {
        return uriPassword != null;
    }

    public List<HostPort> hosts() {
        return hosts;
    }

    /** The first (usually only) host; a usage error when the URI named none. */
    public HostPort host() {
        if (hosts.isEmpty()) {
            throw new UsageException("target " + display() + " names no host");
        }
        return hosts.get(0);
    }

    public String path() {
        return path;
    }

    public Map<String, String> query() {
        return query;
    }

    /**
     * The query exactly as written, without the '?', still percent-encoded and in its order (empty when there is
     * none): what an HTTP check must send, where {@link #query()} is decoded for options such as {@code ?kubeconfig=}.
     */
    public String rawQuery() {
        return rawQuery;
    }

    /** How a scheme is written at the start of a target: {@code mysql://}, but {@code local:} (it names no host). */
    public static String schemePrefix(String scheme) {
        return "local".equals(scheme) ? "local:" : scheme + "://";
    }

    /** The URI as it may be shown anywhere: never carries a password. */
    public String display() {
        StringBuilder b = new StringBuilder(scheme).append(':');
        if (hosts.isEmpty() && user == null && !path.startsWith("/") && !path.isEmpty()) {
            return b.append(path).toString();
        }
        if (hosts.isEmpty() && user == null && path.isEmpty() && query.isEmpty()) {
            // "local:" stays opaque; "k8s://" (the current kubeconfig context) keeps its slashes
            return opaque ? scheme + ":" : scheme + "://";
        }
        b.append("//");
        if (user != null) {
            b.append(user).append('@');
        }
        for (int i = 0; i < hosts.size(); i++) {
            b.append(i == 0 ? "" : ",").append(hosts.get(i));
        }
        b.append(path);
        if (!query.isEmpty()) {
            StringBuilder qs = new StringBuilder();
            query.forEach((k, v) -> qs.append(qs.length() == 0 ? "?" : "&").append(k).append(v.isEmpty() ? "" : "=" + v));
            b.append(qs);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
