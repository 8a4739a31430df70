package io.opsdoc.server.alerts;

import io.opsdoc.core.Finding;

/**
 * The human text of a verdict, in the Markdown subset the chat robots share (headings, bold, links, lists):
 * verdict and alert first, then what the check saw, then the note's excerpt and link.
 */
final class ForwardMessage {
    private ForwardMessage() {
    }

    static String title(AlertVerdict v) {
        return "[" + v.verdict().json().toUpperCase(java.util.Locale.ROOT) + "] " + v.alert()
                + (v.target() == null ? "" : " on " + v.target());
    }

    static String markdown(AlertVerdict v, int maxChars) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(title(v)).append("**\n\n");
        b.append("Alertmanager: ").append(v.status()).append(". ").append(v.reason() == null ? "" : v.reason()).append("\n\n");
        if (v.findings() != null) {
            for (Finding f : v.findings().stream().limit(5).toList()) {
                b.append("- ").append(f.severity()).append(' ').append(f.code());
                if (f.subject() != null) {
                    b.append(" (").append(f.subject()).append(')');
                }
                b.append(": ").append(f.summary()).append('\n');
            }
            if (v.findings().size() > 5) {
                b.append("- and ").append(v.findings().size() - 5).append(" more\n");
            }
            b.append('\n');
        }
        if (v.note() != null) {
            b.append("**").append(v.note().heading() != null ? v.note().heading() : v.note().title()).append("**");
            if (v.note().url() != null) {
                b.append(" ([").append(v.note().id()).append("](").append(v.note().url()).append("))");
            } else {
                b.append(" (").append(v.note().id()).append(v.note().section() == null ? "" : "#" + v.note().section()).append(')');
            }
            b.append('\n');
            if (v.note().excerpt() != null) {
                b.append(v.note().excerpt()).append('\n');
            }
        }
        String text = b.toString();
        // Robots reject long messages (WeCom: 4096 bytes of markdown); cut on a character, never mid-surrogate.
        if (text.length() > maxChars) {
            int cut = maxChars - 2;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            text = text.substring(0, cut) + " …";
        }
        return text;
    }
}
