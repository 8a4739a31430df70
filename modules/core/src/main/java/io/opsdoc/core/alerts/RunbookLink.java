package io.opsdoc.core.alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code runbook_url} that points at an opsdoc note: {@code .../notes/<lang>/<note-id>[.md|.html][#anchor]}, which
 * covers both {@code opsdoc serve}'s pages and the Markdown files in a repository browser
 * ({@code .../docs/notes/en/mysql/replication.md#lag-critical}).
 */
public record RunbookLink(String lang, String noteId, String anchor) {
    private static final Pattern PATH = Pattern.compile("(?:^|/)notes/([a-z]{2}(?:-[A-Za-z]{2,4})?)/([a-z0-9][a-z0-9_./-]*?)(?:\\.md|\\.html)?/?$");

    /** Empty when the URL does not have the shape of a note link; whether the note exists is the caller's question. */
    public static Optional<RunbookLink> parse(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String path;
        String fragment;
        try {
            URI u = new URI(url.trim());
            path = u.getPath();
            fragment = u.getFragment();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(path);
        if (!m.find() || m.group(2).contains("..")) {
            return Optional.empty();
        }
        return Optional.of(new RunbookLink(m.group(1), m.group(2), fragment == null || fragment.isBlank() ? null : fragment));
    }

    /** {@code note-id#anchor} or {@code note-id}, the form NoteCatalog.lookup takes. */
    public String ref() {
        return anchor == null ? noteId : noteId + "#" + anchor;
    }
}
