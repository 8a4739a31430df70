package io.opsdoc.checks.kubernetes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /version} of the API server, as collected. Managed offerings report minors such as {@code "32+"}
 * and git versions such as {@code v1.32.2-eks-1a2b3c}; {@link #minorNumber()} reads either.
 */
public record ServerVersion(String gitVersion, String major, String minor) {
    private static final Pattern GIT = Pattern.compile("v?(\\d+)\\.(\\d+).*");

    /** The minor version, or -1 when the server did not tell. */
    public int minorNumber() {
        if (gitVersion != null) {
            Matcher m = GIT.matcher(gitVersion);
            if (m.matches() && m.group(1).equals("1")) {
                return Integer.parseInt(m.group(2));
            }
        }
        if (minor != null) {
            String digits = minor.replaceAll("\\D.*$", "");
            if (!digits.isEmpty() && "1".equals(major)) {
                return Integer.parseInt(digits);
            }
        }
        return -1;
    }

    public boolean known() {
        return minorNumber() >= 0;
    }

    /** {@code v1.32.2}, or what the server said. */
    public String display() {
        return gitVersion != null && !gitVersion.isBlank() ? gitVersion : major + "." + minor;
    }

    /** Parses a kubelet or component version such as {@code v1.29.4}; -1 when it is not one. */
    static int minorOf(String version) {
        if (version == null) {
            return -1;
        }
        Matcher m = GIT.matcher(version);
        return m.matches() && m.group(1).equals("1") ? Integer.parseInt(m.group(2)) : -1;
    }
}
