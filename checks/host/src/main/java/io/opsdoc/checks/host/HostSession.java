package io.opsdoc.checks.host;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.util.List;

/**
 * Gives a check its {@link HostReader} for the run. Over SSH the session is leased from the context's pool: one
 * session per target is shared by the host checks of one {@code opsdoc check} and kept between scrapes by
 * {@code opsdoc serve}; any error marks it broken so the next run opens a fresh one.
 */
final class HostSession implements AutoCloseable {
    private final HostReader reader;
    private final ClientPool.Lease<SshHost> lease;

    private HostSession(HostReader reader, ClientPool.Lease<SshHost> lease) {
        this.reader = reader;
        this.lease = lease;
    }

    static HostSession open(CheckContext context) throws Exception {
        HostTarget target = HostTarget.of(context.target());
        if (target.local()) {
            return new HostSession(new LocalHost(context, target), null);
        }
        for (int attempt = 0; ; attempt++) {
            ClientPool.Lease<SshHost> lease = context.clients().lease("ssh", context, () -> SshHost.open(context, target),
                    SshHost::close);
            if (!lease.reused() || lease.client().isOpen() || attempt > 0) {
                return new HostSession(new SshReader(lease.client(), context), lease);
            }
            // the kept session was closed by the server (idle timeout, sshd restart): open a new one
            lease.broken();
            lease.close();
        }
    }

    HostReader reader() {
        return reader;
    }

    /** Runs the check's collect; an error marks the SSH session broken so it is not reused. */
    <T> T collect(Collect<T> body) throws Exception {
        try {
            return body.apply(reader);
        } catch (Exception | Error e) {
            if (lease != null) {
                lease.broken();
            }
            throw e;
        }
    }

    @FunctionalInterface
    interface Collect<T> {
        T apply(HostReader host) throws Exception;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    /** The {@link HostReader} over one SSH session: each call is one exec channel running a fixed command. */
    private record SshReader(SshHost ssh, CheckContext context) implements HostReader {
        @Override
        public String read(String path) throws Exception {
            return ssh.run(HostCommands.catLine(path), context, true);
        }

        @Override
        public String df(boolean inodes, List<String> paths) throws Exception {
            String out = ssh.run(HostCommands.dfLine(inodes, paths), context, !paths.isEmpty());
            return out;
        }

        @Override
        public String listeningSockets() throws Exception {
            return ssh.run(HostCommands.SS_LISTEN_LINE, context, true);
        }

        @Override
        public String addresses() throws Exception {
            return ssh.run(HostCommands.IP_ADDR_LINE, context, true);
        }

        @Override
        public String processStats() throws Exception {
            return ssh.run(HostCommands.PROCESS_STATS, context, false);
        }

        @Override
        public List<FileGlob.Match> files(FileGlob glob, String grantsHint) throws Exception {
            String dir = glob.directory().toString();
            return RemoteListing.parse(glob, ssh.exec(HostCommands.listLine(dir), context), ssh.where(), grantsHint);
        }

        @Override
        public <T> T stream(String path, StreamBody<T> body) throws Exception {
            return ssh.stream(HostCommands.streamLine(path), path, context, body);
        }

        @Override
        public String firewallDump(String dump, boolean sudo, String netns) throws Exception {
            if (!netns.isEmpty()) {
                throw new ProbeException(ProbeErrors.PROBE_FAILED, "netns= is for local: only; over ssh:// the rules "
                        + "are those of the namespace the SSH server runs in");
            }
            String line = HostCommands.firewallLine(dump, sudo);
            SshHost.Result r = ssh.exec(line, context);
            return HostCommands.firewallResult(dump + " -c on " + ssh.where(), r.status(), r.out(), r.err(), sudo);
        }

        @Override
        public HostAccess.Result command(List<String> argv) throws Exception {
            SshHost.Result r = ssh.exec(HostCommands.commandLine(argv), context);
            return new HostAccess.Result(r.out(), r.err(), r.status());
        }

        @Override
        public String birdProtocols(String client, String socket) throws Exception {
            SshHost.Result r = ssh.exec(HostCommands.birdLine(client, socket), context);
            return HostCommands.birdResult(client + " -r -s " + socket + " show protocols on " + ssh.where(), r.status(),
                    r.out(), r.err());
        }

        @Override
        public String autostartListing(String root) throws Exception {
            return ssh.run(HostCommands.autostartLine(root), context, false);
        }

        @Override
        public String systemctlShow(List<String> units) throws Exception {
            return ssh.run(HostCommands.systemctlLine(units), context, true);
        }

        @Override
        public List<DeletedFile> deletedOpenFiles() {
            return null;
        }

        @Override
        public List<ProcessFds> busyProcessFds() {
            return null;
        }
    }

    /** Used by checks: collect over a session opened and closed here. */
    static <T> T with(CheckContext context, Collect<T> body) throws Exception {
        try (HostSession s = open(context)) {
            return s.collect(body);
        }
    }
}
