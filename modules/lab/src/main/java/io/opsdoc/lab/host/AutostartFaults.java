package io.opsdoc.lab.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A host's boot configuration for linux-service-autostart, laid out as a root file system in the host lab's directory
 * (read with {@code --set root=}, as a host's / mounted into a container is): Debian's ssh and cron units enabled the
 * way {@code systemctl enable} links them, a SysV script with its start links, a stock rc.local. This machine has no
 * systemd and its /etc belongs to everyone: the faults change this tree only, each starting from the healthy layout,
 * and each is what the real command leaves behind ({@code systemctl disable}, {@code systemctl mask},
 * {@code update-rc.d NAME disable}, commands added to a non-executable rc.local).
 */
public final class AutostartFaults {
    public static final String SERVICES = "ssh,cron,legacyapp";

    private AutostartFaults() {
    }

    public static String root(HostLab lab) {
        return lab.directory().resolve("root").toString();
    }

    /** The healthy layout: every named service enabled, rc.local holding only comments and exit 0. */
    public static void layout(HostLab lab) {
        Path root = Path.of(root(lab));
        try {
            io.opsdoc.lab.support.LabFiles.deleteRecursively(root);
            Path lib = Files.createDirectories(root.resolve("lib/systemd/system"));
            Files.writeString(lib.resolve("ssh.service"), """
                    [Unit]
                    Description=OpenBSD Secure Shell server
                    After=network.target auditd.service

                    [Service]
                    ExecStart=/usr/sbin/sshd -D $SSHD_OPTS
                    Restart=on-failure

                    [Install]
                    WantedBy=multi-user.target
                    Alias=sshd.service
                    """);
            Files.writeString(lib.resolve("cron.service"), """
                    [Unit]
                    Description=Regular background program processing daemon

                    [Service]
                    ExecStart=/usr/sbin/cron -f $EXTRA_OPTS
                    Restart=on-failure

                    [Install]
                    WantedBy=multi-user.target
                    """);
            Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
            Files.createSymbolicLink(wants.resolve("ssh.service"), Path.of("/lib/systemd/system/ssh.service"));
            Files.createSymbolicLink(wants.resolve("cron.service"), Path.of("/lib/systemd/system/cron.service"));
            Path init = Files.createDirectories(root.resolve("etc/init.d"));
            Files.writeString(init.resolve("legacyapp"), "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: legacyapp\n"
                    + "# Default-Start: 2 3 4 5\n# Default-Stop: 0 1 6\n### END INIT INFO\nexec /opt/legacyapp/run\n");
            Files.setPosixFilePermissions(init.resolve("legacyapp"), PosixFilePermissions.fromString("rwxr-xr-x"));
            for (int level = 2; level <= 5; level++) {
                Path rc = Files.createDirectories(root.resolve("etc/rc" + level + ".d"));
                Files.createSymbolicLink(rc.resolve("S01legacyapp"), Path.of("../init.d/legacyapp"));
            }
            writeRcLocal(root, "#!/bin/sh -e\n# rc.local: executed at the end of each multiuser runlevel\nexit 0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code systemctl disable cron}: the wants link is removed, the unit file stays. */
    public static void disableCron(HostLab lab) throws IOException {
        layout(lab);
        Files.delete(Path.of(root(lab), "etc/systemd/system/multi-user.target.wants/cron.service"));
    }

    /** {@code systemctl mask ssh}: a link to /dev/null in /etc/systemd/system hides the unit (the wants link stays). */
    public static void maskSsh(HostLab lab) throws IOException {
        layout(lab);
        Files.createSymbolicLink(Path.of(root(lab), "etc/systemd/system/ssh.service"), Path.of("/dev/null"));
    }

    /** {@code update-rc.d legacyapp disable}: the S01 start links become K01 stop links. */
    public static void disableLegacyApp(HostLab lab) throws IOException {
        layout(lab);
        for (int level = 2; level <= 5; level++) {
            Path rc = Path.of(root(lab), "etc/rc" + level + ".d");
            Files.delete(rc.resolve("S01legacyapp"));
            Files.createSymbolicLink(rc.resolve("K01legacyapp"), Path.of("../init.d/legacyapp"));
        }
    }

    /** A start command added to rc.local, which stays mode 0644 as RHEL 7 ships it. */
    public static void rcLocalWithCommands(HostLab lab) throws IOException {
        layout(lab);
        writeRcLocal(Path.of(root(lab)), "#!/bin/sh -e\n# start the app after boot\n/opt/app/start.sh &\nexit 0\n");
    }

    private static void writeRcLocal(Path root, String text) throws IOException {
        Path rcLocal = root.resolve("etc/rc.local");
        Files.writeString(rcLocal, text);
        Files.setPosixFilePermissions(rcLocal, PosixFilePermissions.fromString("rw-r--r--"));
    }
}
