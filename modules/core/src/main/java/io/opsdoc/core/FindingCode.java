package io.opsdoc.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A finding code a check can emit, with the note section that explains it.
 *
 * @param code  stable UPPER_SNAKE name, e.g. {@code SQL_THREAD_STOPPED}
 * @param note  note reference {@code <note-id>#<anchor>}, e.g. {@code mysql/replication#sql-thread-stopped}
 * @param title one line for listings
 */
public record FindingCode(String code, String note, String title) {
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

    public FindingCode {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("finding code must be UPPER_SNAKE: " + code);
        }
        if (!note.contains("#")) {
            throw new IllegalArgumentException("note reference must be <note-id>#<anchor>: " + note);
        }
    }

    /** The code in a note whose section anchors follow the convention: code lower-cased, '_' to '-'. */
    public static FindingCode inNote(String noteId, String code, String title) {
        return new FindingCode(code, noteId + "#" + anchorOf(code), title);
    }

    public static String anchorOf(String code) {
        return code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String noteId() {
        return note.substring(0, note.indexOf('#'));
    }

    public String anchor() {
        return note.substring(note.indexOf('#') + 1);
    }
}
