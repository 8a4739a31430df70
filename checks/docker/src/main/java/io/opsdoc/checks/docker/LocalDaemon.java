package io.opsdoc.checks.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether the dockerd that answered runs on the machine opsdoc runs on, so that its root directory's file system and
 * its routing table can be read here. The daemon's own word decides (its host name in {@code /info}), not the target's
 * form: a unix socket forwarded over ssh -L belongs to another host, a docker+tcp to this host's address does not.
 */
final class LocalDaemon {
    private LocalDaemon() {
    }

    static boolean isThisHost(String daemonName) {
        String here = hostname();
        return daemonName != null && here != null && here.equalsIgnoreCase(daemonName.strip());
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return null;
        }
    }
}
