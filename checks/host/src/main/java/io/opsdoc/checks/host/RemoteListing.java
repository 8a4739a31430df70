package io.opsdoc.checks.host;

import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one directory as {@link HostCommands#listLine} prints them over SSH ("size mtime name", NUL-ended),
 * filtered by the glob here: the same {@link FileGlob.Match}es as a local listing of that directory.
 */
final class RemoteListing {
    private RemoteListing() {
    }

    static List<FileGlob.Match> parse(FileGlob glob, SshHost.Result listed, String where, String grantsHint)
            throws ProbeException {
        String dir = glob.directory().toString();
        if (listed.status() == null || listed.status() != 0) {
            // find names the start point in its first error: a missing directory is "no backups", like locally
            String err = listed.err();
            if (err.contains("'" + dir + "': No such file or directory")) {
                return List.of();
            }
            if (err.contains("'" + dir + "': Permission denied")) {
                throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot list " + dir + " on " + where
                        + ": permission denied (" + grantsHint + ")");
            }
            if (listed.out().isEmpty()) {
                throw HostCommands.failure("find " + dir + " on " + where, err);
            }
            // an entry that could not be examined (a dangling or unreadable link): the rest of the listing holds
        }
        List<FileGlob.Match> files = new ArrayList<>();
        for (String record : listed.out().split("\0")) {
            if (record.isEmpty()) {
                continue;
            }
            String[] f = record.split(" ", 3);
            if (f.length < 3) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "find on " + where + " printed a record that is "
                        + "not 'size mtime name' (is find GNU findutils?)");
            }
            if (!glob.matchesName(f[2])) {
                continue;
            }
            try {
                long bytes = Long.parseLong(f[0]);
                long millis = new BigDecimal(f[1]).movePointRight(3).longValue();
                files.add(new FileGlob.Match(Path.of(dir).resolve(f[2]), bytes, millis));
            } catch (NumberFormatException e) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, "find on " + where + " printed a size or time "
                        + "that is not a number (is find GNU findutils?)");
            }
        }
        return FileGlob.sortNewestFirst(files);
    }
}
