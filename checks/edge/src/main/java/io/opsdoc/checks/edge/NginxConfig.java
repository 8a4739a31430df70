package io.opsdoc.checks.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code upstream {}} blocks of an nginx configuration: each {@code server} line's address and the parameters
 * that matter here (max_fails, backup, down). {@code include} is followed as nginx does (relative paths from the
 * main file's directory, globs), up to {@link #MAX_FILES} files; a saved {@code nginx -T} works as well.
 */
final class NginxConfig {
    private static final Pattern UPSTREAM = Pattern.compile("(?m)(?:^|[;{}\\s])upstream\\s+([^\\s{]+)\\s*\\{");

    record UpstreamServer(String upstream, String address, boolean backup, boolean down, Integer maxFails) {
    }

    static final int MAX_FILES = 200;
    private static final Pattern INCLUDE = Pattern.compile("(?:^|[;{}\\s])include\\s+([^;\\s]+)\\s*;");

    private NginxConfig() {
    }

    /** The upstream servers of {@code main} and every file it includes. */
    static List<UpstreamServer> read(java.nio.file.Path main) throws java.io.IOException {
        List<UpstreamServer> out = new ArrayList<>();
        java.util.Set<java.nio.file.Path> seen = new java.util.LinkedHashSet<>();
        read(main.toAbsolutePath().normalize(), main.toAbsolutePath().getParent(), seen, out);
        return out;
    }

    private static void read(java.nio.file.Path file, java.nio.file.Path base, java.util.Set<java.nio.file.Path> seen,
            List<UpstreamServer> out) throws java.io.IOException {
        if (seen.size() >= MAX_FILES || !seen.add(file)) {
            return;
        }
        String text = java.nio.file.Files.readString(file);
        out.addAll(upstreams(text));
        Matcher m = INCLUDE.matcher(stripComments(text));
        while (m.find()) {
            String pattern = m.group(1).replace("\"", "").replace("'", "");
            java.nio.file.Path p = base.resolve(pattern).normalize();
            java.nio.file.Path dir = p.getParent();
            String glob = p.getFileName().toString();
            if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
                continue;
            }
            if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
                if (java.nio.file.Files.isRegularFile(p)) {
                    read(p, base, seen, out);
                }
                continue;
            }
            java.util.List<java.nio.file.Path> matches = new ArrayList<>();
            try (java.nio.file.DirectoryStream<java.nio.file.Path> ds = java.nio.file.Files.newDirectoryStream(dir, glob)) {
                ds.forEach(matches::add);
            }
            java.util.Collections.sort(matches);
            for (java.nio.file.Path f : matches) {
                if (java.nio.file.Files.isRegularFile(f)) {
                    read(f, base, seen, out);
                }
            }
        }
    }

    static List<UpstreamServer> upstreams(String config) {
        String text = stripComments(config);
        List<UpstreamServer> out = new ArrayList<>();
        Matcher m = UPSTREAM.matcher(text);
        int from = 0;
        while (m.find(from)) {
            int close = text.indexOf('}', m.end());
            if (close < 0) {
                break;
            }
            for (String statement : text.substring(m.end(), close).split(";")) {
                String[] t = statement.trim().split("\\s+");
                if (t.length < 2 || !t[0].equals("server")) {
                    continue;
                }
                boolean backup = false;
                boolean down = false;
                Integer maxFails = null;
                for (int i = 2; i < t.length; i++) {
                    if (t[i].equals("backup")) {
                        backup = true;
                    } else if (t[i].equals("down")) {
                        down = true;
                    } else if (t[i].startsWith("max_fails=")) {
                        try {
                            maxFails = Integer.parseInt(t[i].substring("max_fails=".length()));
                        } catch (NumberFormatException e) {
                            // a variable or a typo: nginx -t rejects it, nothing to judge here
                        }
                    }
                }
                out.add(new UpstreamServer(m.group(1), t[1], backup, down, maxFails));
            }
            from = close + 1;
        }
        return out;
    }

    private static String stripComments(String config) {
        StringBuilder b = new StringBuilder();
        for (String line : config.split("\n")) {
            int hash = line.indexOf('#');
            b.append(hash >= 0 ? line.substring(0, hash) : line).append('\n');
        }
        return b.toString();
    }
}
