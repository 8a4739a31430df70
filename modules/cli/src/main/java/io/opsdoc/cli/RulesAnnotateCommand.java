package io.opsdoc.cli;

import io.opsdoc.core.UsageException;
import io.opsdoc.core.alerts.RunbookLink;
import io.opsdoc.core.notes.NoteCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "annotate", description = {"Add annotations.runbook_url (BASE/LANG/NOTE-ID) to every alert opsdoc has a note for and that has none.",
        "Foreign runbook_urls are never touched; broken opsdoc links only with --overwrite. The file is edited line by line:",
        "comments, key order and formatting survive. Prints the file (or writes -o / --in-place); says what changed on stderr."},
        footer = {"", "Example:", "  opsdoc rules annotate --base-url https://opsdoc.example/notes -o annotated.yaml alerts.yaml"})
final class RulesAnnotateCommand implements Callable<Integer> {
    @ParentCommand
    RulesCommand rules;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "a rule file or PrometheusRule manifest (several with --in-place)")
    List<Path> files;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "where the notes are served, e.g. https://opsdoc.example/notes (opsdoc serve's /notes; default: OPSDOC_NOTES_URL)")
    String baseUrl;

    @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en", description = "language of the links (default ${DEFAULT-VALUE})")
    String lang;

    @Option(names = "--overwrite", description = "also replace opsdoc links that do not resolve to an existing note section")
    boolean overwrite;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "opsdoc.yaml: its alerts: section maps your own alert names to notes")
    Path config;

    @ArgGroup(exclusive = true)
    Destination destination;

    static final class Destination {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the annotated file here (default: standard output)")
        Path output;

        @Option(names = "--in-place", description = "rewrite each FILE")
        boolean inPlace;
    }

    @Override
    public Integer call() throws IOException {
        boolean inPlace = destination != null && destination.inPlace;
        Path output = destination == null ? null : destination.output;
        if (files.size() > 1 && !inPlace) {
            throw new UsageException("several files need --in-place (or annotate one file at a time with -o)");
        }
        String base = RulesCommand.baseUrl(baseUrl != null ? baseUrl : rules.parent.env.get("OPSDOC_NOTES_URL"));
        if (base == null) {
            throw new UsageException("--base-url is required (or set OPSDOC_NOTES_URL), e.g. --base-url https://opsdoc.example/notes");
        }
        NoteCatalog notes = NoteCatalog.load();
        String language = RulesCommand.language(notes, lang);
        if (RunbookLink.parse(base + "/" + language + "/mysql/replication").isEmpty()) {
            rules.parent.err.println("opsdoc: warning: links under " + base + " do not end in /notes/" + language
                    + "/<note>, so lint and 'opsdoc serve' will not recognise them as opsdoc links");
        }
        var alertNotes = RulesCommand.alertNotes(notes, config);
        RulesAnnotator annotator = new RulesAnnotator(alertNotes, new RulesLint(notes, alertNotes, base, language), overwrite);
        List<PrometheusRuleFile> read = new ArrayList<>();
        for (Path f : files) {
            read.add(PrometheusRuleFile.read(f));
        }
        List<RulesAnnotator.Result> results = new ArrayList<>();
        for (PrometheusRuleFile f : read) {
            results.add(annotator.annotate(f)); // every file edited and verified before anything is written
        }
        var err = rules.parent.err;
        int added = 0;
        int replaced = 0;
        int left = 0;
        for (int i = 0; i < read.size(); i++) {
            PrometheusRuleFile f = read.get(i);
            RulesAnnotator.Result r = results.get(i);
            for (RulesAnnotator.Change c : r.changes()) {
                err.println(f.where(c.alert()) + ": " + c.alert().name() + ": " + (c.previous() == null ? "added runbook_url " + c.url()
                        : "replaced broken runbook_url " + c.previous() + " with " + c.url()));
                if (c.previous() == null) {
                    added++;
                } else {
                    replaced++;
                }
            }
            for (RulesAnnotator.Skip s : r.skipped()) {
                err.println(f.where(s.alert()) + ": " + s.alert().name() + ": left as it is: " + s.reason());
                left++;
            }
            if (inPlace) {
                if (!r.changes().isEmpty()) {
                    write(f.path, r.text());
                }
            } else if (output != null) {
                write(output, r.text());
            } else {
                rules.parent.out.print(r.text());
                rules.parent.out.flush();
            }
        }
        err.println("opsdoc: " + added + " runbook_url" + (added == 1 ? "" : "s") + " added, " + replaced + " replaced, "
                + left + " left unchanged"
                + (inPlace ? "" : output != null ? "; wrote " + output : ""));
        return 0;
    }

    /** Writes next to the destination, then renames: a reader never sees half a rule file. */
    private static void write(Path to, String text) {
        Path abs = to.toAbsolutePath();
        try {
            writeAtomically(abs, text);
        } catch (IOException e) {
            throw new UsageException(to + ": cannot write (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void writeAtomically(Path abs, String text) throws IOException {
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (Files.exists(abs)) { // keep the file's mode, not the temporary file's 0600
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
