package io.opsdoc.lab.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.opentest4j.TestAbortedException;

/**
 * ssh:// access to this machine for the lab of another family whose checks read a host's files (the backup checks of
 * MySQL and etcd): the host lab's OpenSSH server and test user, started on the first scenario that needs it and
 * stopped with that lab. The lab's directory becomes traversable (mode 711, not listable) so that the test user can
 * reach the files the scenarios lay out; what it may read is decided by those files' own modes.
 */
public final class LabSshAccess implements AutoCloseable {
    /** Which known_hosts the target pins: the server's real key, another key (changed), or none (unknown). */
    public enum HostKey { KNOWN, CHANGED, UNKNOWN }

    private final Path labDir;
    private LabSshd sshd;
    private boolean closed;

    public LabSshAccess(Path labDir) {
        this.labDir = labDir;
    }

    /**
     * The ssh:// target of the test user with its key and the chosen known_hosts; starts the sshd on first use. A
     * machine that cannot run it (not root, no openssh-server) skips the scenario, which CI counts as a failure.
     */
    public synchronized String target(HostKey key) {
        LabSshd s = sshd();
        Path knownHosts = switch (key) {
            case KNOWN -> s.knownHosts();
            case CHANGED -> s.changedKnownHosts();
            case UNKNOWN -> s.emptyKnownHosts();
        };
        return "ssh://" + LabSshd.USER + "@127.0.0.1:" + s.port() + "?identity=" + encode(s.identity())
                + "&known-hosts=" + encode(knownHosts);
    }

    /**
     * Lets the test user read {@code dir} and the files in it the way the backup checks' grants say: the group that
     * owns them is the user's, the directory 0750 and the files 0640, so nobody else can. Call it after laying the
     * files out (a copy may carry its source's 0600).
     */
    public synchronized void shareWithTestUser(Path dir) {
        sshd(); // the user and its group exist once the sshd has started
        try {
            var group = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(LabSshd.USER);
            Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test user's key passphrase: the check's password over SSH. */
    public synchronized String passphrase() {
        return sshd().passphrase();
    }

    private LabSshd sshd() {
        if (closed) {
            throw new IllegalStateException("the lab is closed");
        }
        if (sshd == null) {
            String missing = LabSshd.unavailable();
            if (missing != null) {
                throw new TestAbortedException("ssh:// scenarios skipped: " + missing);
            }
            try {
                Files.setPosixFilePermissions(labDir, PosixFilePermissions.fromString("rwx--x--x"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sshd = LabSshd.start(labDir);
        }
        return sshd;
    }

    private static String encode(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sshd != null) {
            sshd.close();
            sshd = null;
        }
    }
}
