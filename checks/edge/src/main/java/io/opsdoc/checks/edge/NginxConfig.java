package io.opsdoc.checks.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code upstream {}} blocks of an nginx configuration: each {@code server} line's address and the parameters
 * that matter here (max_fails, backup, down). {@code include} is not followed: give the output of {@code nginx -T}
 * saved to a file to see the whole configuration.
 */
final class NginxConfig {
    private static final Pattern UPSTREAM = Pattern.compile("(?m)(?:^|[;{}\\s])upstream\\s+([^\\s{]+)\\s*\\{");

    record UpstreamServer(String upstream, String address, boolean backup, boolean down, Integer maxFails) {
    }

    private NginxConfig() {
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
