package io.opsdoc.core.report;

import io.opsdoc.core.Finding;
import io.opsdoc.core.config.Waiver;
import io.opsdoc.core.gate.Change;
import io.opsdoc.core.gate.Outcome;
import java.util.Locale;

/** The short labels every human-readable format puts next to a finding: waived, new, persisting. */
final class Marks {
    private Marks() {
    }

    static String of(Outcome o, Finding f) {
        StringBuilder b = new StringBuilder();
        Waiver w = o.waiver(f);
        if (w != null) {
            b.append(" [waived until ").append(w.expires()).append(" by ").append(w.owner()).append(": ").append(w.reason()).append(']');
        }
        Change c = o.change(f);
        if (c != null) {
            b.append(" [").append(c.name().toLowerCase(Locale.ROOT)).append(']');
        }
        return b.toString();
    }

    static String explain(Finding f) {
        return "opsdoc explain " + f.check() + "#" + f.code();
    }
}
