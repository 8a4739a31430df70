package io.opsdoc.checks.prometheus;

import java.util.List;

/**
 * What {@code promtool check rules FILE...} said about each file it was given, in its order.
 *
 * @param glob    the rule-files parameter as given
 * @param matched how many files the glob matched (more than were checked when over the cap)
 * @param promtool the program that was run (promtool, or the path given)
 */
public record RulesLintFacts(String where, String glob, int matched, String promtool, int exitStatus,
        List<FileResult> files) {

    /**
     * One file's verdict.
     *
     * @param rules  the N of {@code SUCCESS: N rules found}; -1 when the file failed
     * @param errors promtool's error lines for this file (bounded), empty when it passed
     */
    public record FileResult(String file, boolean ok, int rules, List<String> errors) {
    }
}
