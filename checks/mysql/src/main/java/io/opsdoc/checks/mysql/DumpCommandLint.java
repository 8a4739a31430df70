package io.opsdoc.checks.mysql;

import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lints the backup job's dump command line (as it stands in the crontab) for the mistake the source notes make:
 * {@code -p 3306} meant as the port. Lower-case {@code -p} is the password option of mysqldump and its kin; with its
 * value detached it takes no value at all, so the client prompts for a password (under cron, with no terminal, the
 * login fails) and {@code 3306} becomes a database name. The port is {@code -P 3306} / {@code --port=3306}.
 *
 * <p>{@code -p3306} (attached) is not flagged: that is the password "3306", indistinguishable from a numeric
 * password. The command line is never put in a finding whole: it may carry a password ({@code -pSECRET}); only the
 * offending two words and the program's name are.
 */
final class DumpCommandLint {
    /** Clients whose -p is the password and -P the port. */
    private static final Set<String> CLIENTS = Set.of("mysqldump", "mariadb-dump", "mysqlpump", "mydumper", "mysql",
            "mariadb");
    private static final Set<String> SEPARATORS = Set.of("|", "||", "&&", ";", "&");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}");

    private DumpCommandLint() {
    }

    static void evaluate(String commandLine, Evaluation.Builder out) {
        if (commandLine == null || commandLine.isBlank()) {
            return;
        }
        String program = null;
        List<String> words = words(commandLine);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (SEPARATORS.contains(w)) {
                program = null;
                continue;
            }
            String name = w.substring(w.lastIndexOf('/') + 1);
            if (CLIENTS.contains(name)) {
                program = name; // also behind wrappers: nice, ionice -c3, sudo -u backup, timeout 2h
                continue;
            }
            boolean passwordFlag = w.equals("-p") || w.equals("--password");
            if (program != null && passwordFlag && i + 1 < words.size() && NUMBER.matcher(words.get(i + 1)).matches()) {
                String number = words.get(i + 1);
                out.finding(BackupCode.DUMP_CMD_PORT_FLAG, Severity.WARNING, "the dump command runs " + program + " "
                        + w + " " + number + ": " + w + " is the password option, not the port; detached from it, "
                        + number + " is read as a database name and " + program + " prompts for a password (under "
                        + "cron, with no terminal, the login fails or a later -p's password is used), so the dump "
                        + "fails or misses what was meant; write -P " + number + " (or --port=" + number + ")",
                        Evidence.of("program", program, "words", w + " " + number, "meant_port", number,
                                "write_instead", "-P " + number));
                return;
            }
        }
    }

    /** Shell-like words: whitespace-separated, quotes grouping, a trailing ';' or '|' split off. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == '|' || c == ';') {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                if (c == '|' || c == ';') {
                    out.add(String.valueOf(c));
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
