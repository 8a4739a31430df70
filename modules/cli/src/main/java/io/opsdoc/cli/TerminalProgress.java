package io.opsdoc.cli;

import io.opsdoc.core.Report;
import io.opsdoc.core.gate.Gate;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One self-overwriting line on standard error while a gate runs ("[3/12] db-replica-1 mysql-replication WARNING"),
 * erased before the report is printed. Only when standard error is a terminal: in CI logs, pipes and files a stream
 * of carriage returns is noise, and the report says everything anyway.
 */
final class TerminalProgress implements Gate.Progress {
    private final PrintStream err;

    private TerminalProgress(PrintStream err) {
        this.err = err;
    }

    /** The progress for this run: the terminal line, or nothing at all. */
    static Gate.Progress forStream(PrintStream err, Map<String, String> env, boolean quiet) {
        return !quiet && err == System.err && stderrIsTerminal() && !"dumb".equals(env.get("TERM"))
                ? new TerminalProgress(err) : Gate.Progress.NONE;
    }

    /** Java only knows whether stdin and stdout are terminals; Linux tells where fd 2 points. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void finished(int done, int total, String target, Report report) {
        String line = "[" + done + "/" + total + "] " + target + " " + report.check() + " " + report.status();
        err.print("\r\033[K" + (line.length() > 100 ? line.substring(0, 100) : line));
        if (done == total) {
            err.print("\r\033[K");
        }
        err.flush();
    }
}
