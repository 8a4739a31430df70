package io.opsdoc.checks.kubernetes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIRD's {@code show protocols} table as birdc prints it, in both layouts: BIRD 1.6 (Calico's fork; header
 * {@code name proto table state since info}, table {@code master}) and BIRD 2.x (header {@code Name Proto Table State
 * Since Info}, table {@code ---}). "since" is one token ({@code 03:32:28.389}, {@code 2026-12-05}) or, with
 * {@code timeformat protocol iso long}, two ({@code 2026-12-05 03:32:28}); the info column is the rest of the line,
 * for BGP its session state first ({@code Established}, {@code Active}, {@code Connect}...) and then the last error.
 */
record BirdProtocols(String version, List<Protocol> protocols) {
    private static final Pattern READY = Pattern.compile("^(?:0001 )?BIRD (\\S+) ready\\.");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

    /** One row. {@code info} may be empty (a device protocol, a disabled one). */
    record Protocol(String name, String proto, String table, String state, String since, String info) {
        boolean bgp() {
            return proto.equalsIgnoreCase("BGP");
        }

        /** The BGP session state: the info column's first word ("Established", "Active", "Connect", "Idle"...). */
        String bgpState() {
            String s = info.strip();
            int sp = s.indexOf(' ');
            return s.isEmpty() ? "" : sp < 0 ? s : s.substring(0, sp);
        }

        /** What BIRD says after the session state: the last error ("Socket: Connection refused"). */
        String detail() {
            String s = info.strip();
            int sp = s.indexOf(' ');
            return sp < 0 ? "" : s.substring(sp + 1).strip();
        }

        boolean established() {
            return bgpState().equals("Established");
        }
    }

    /** Null when the text holds no protocol table (not birdc's output). */
    static BirdProtocols parse(String text) {
        String version = "";
        List<Protocol> rows = new ArrayList<>();
        boolean header = false;
        for (String raw : text.split("\\R")) {
            String line = raw.stripTrailing();
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                version = ready.group(1);
                continue;
            }
            if (!header) {
                String lower = line.strip().toLowerCase(Locale.ROOT);
                header = lower.startsWith("name") && lower.contains("proto") && lower.contains("state");
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> f = new ArrayList<>(Arrays.asList(line.strip().split("\\s+")));
            if (f.size() < 4) {
                continue; // not a row (a message after the table)
            }
            int next = 4;
            String since = "";
            if (f.size() > next) {
                since = f.get(next++);
                if (DATE.matcher(since).matches() && f.size() > next && TIME.matcher(f.get(next)).matches()) {
                    since = since + " " + f.get(next++);
                }
            }
            String info = String.join(" ", f.subList(Math.min(next, f.size()), f.size()));
            rows.add(new Protocol(f.get(0), f.get(1), f.get(2), f.get(3), since, info));
        }
        return header ? new BirdProtocols(version, rows) : null;
    }

    List<Protocol> bgp() {
        return protocols.stream().filter(Protocol::bgp).toList();
    }

    /**
     * The peer a Calico protocol name stands for, and what kind of peering it is: confd names them {@code Mesh_<ip>}
     * (node-to-node mesh), {@code Node_<ip>} (a BGPPeer for this node) and {@code Global_<ip>} (a global BGPPeer),
     * the address's dots (IPv4) or colons (IPv6) replaced by underscores. Other names are returned as they are.
     */
    static String[] calicoPeer(String name) {
        for (String[] kind : new String[][] {{"Mesh_", "node-to-node mesh"}, {"Node_", "node-specific BGPPeer"},
                {"Global_", "global BGPPeer"}}) {
            if (name.startsWith(kind[0])) {
                String id = name.substring(kind[0].length());
                String ip = id.matches("\\d+_\\d+_\\d+_\\d+(_port_\\d+)?") ? id.replaceFirst("_port_\\d+$", "")
                        .replace('_', '.') : id.replace('_', ':');
                return new String[] {ip, kind[1]};
            }
        }
        return new String[] {"", "BGP protocol"};
    }
}
