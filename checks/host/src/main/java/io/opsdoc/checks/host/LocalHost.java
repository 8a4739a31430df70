package io.opsdoc.checks.host;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FileGlob;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code local:}: reads /proc and /sys directly (from {@code ?proc=} when the host's /proc is mounted elsewhere, as
 * in a container) and runs {@code df} without a shell.
 */
final class LocalHost implements HostReader {
    private final CheckContext context;
    private final Path proc;

    LocalHost(CheckContext context, HostTarget target) {
        this.context = context;
        this.proc = Path.of(target.procRoot());
    }

    @Override
    public String read(String path) throws Exception {
        HostCommands.requireReadable(path);
        Path file = path.startsWith("/proc/") ? proc.resolve(path.substring("/proc/".length())) : Path.of(path);
        try {
            return readProcFile(file);
        } catch (NoSuchFileException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, file + " does not exist on this host (is /proc mounted "
                    + "there? in a container, mount the host's /proc and use local:?proc=/host/proc)");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot read " + file + ": permission denied");
        }
    }

    @Override
    public String df(boolean inodes, List<String> paths) throws Exception {
        List<String> argv = new ArrayList<>(HostCommands.dfArgv(inodes));
        if (!paths.isEmpty()) {
            argv.add("--");
            argv.addAll(paths);
        }
        return run(argv, !paths.isEmpty());
    }

    @Override
    public String listeningSockets() throws Exception {
        if (!proc.equals(Path.of("/proc"))) {
            return null; // ss would show this container's sockets, not those of the mounted /proc
        }
        return run(HostCommands.SS_LISTEN, true);
    }

    @Override
    public String addresses() throws Exception {
        if (!proc.equals(Path.of("/proc"))) {
            return null; // ip would show this container's interfaces, not those of the mounted /proc
        }
        return run(HostCommands.IP_ADDR, true);
    }

    @Override
    public List<FileGlob.Match> files(FileGlob glob, String grantsHint) throws ProbeException {
        return glob.newestFirst(grantsHint);
    }

    @Override
    public <T> T stream(String path, StreamBody<T> body) throws Exception {
        HostCommands.requireFilePath(path);
        InputStream in;
        try {
            in = Files.newInputStream(Path.of(path));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ProbeException(ProbeErrors.PERMISSION_DENIED, "cannot read " + path + ": permission denied");
        } catch (NoSuchFileException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, path + " disappeared between the listing and the read "
                    + "(a cleanup job, or a backup being renamed into place)");
        }
        try (in) {
            // a local read does not hang: the body's own per-chunk deadline test bounds it
            return body.apply(in);
        }
    }

    @Override
    public String autostartListing(String root) throws Exception {
        return run(HostCommands.autostartArgv(root), false, true);
    }

    @Override
    public String systemctlShow(List<String> units) throws Exception {
        return run(HostCommands.systemctlArgv(units), true);
    }

    @Override
    public String firewallDump(String dump, boolean sudo, String netns) throws Exception {
        List<String> argv = HostCommands.firewallArgv(dump, sudo, netns);
        String command = String.join(" ", argv);
        Process p;
        try {
            p = start(argv);
        } catch (IOException e) {
            return null; // the tool (or ip, or sudo) is not installed: this back end cannot hold rules here
        }
        Exited r = finish(p, command, "(the xtables lock held by another iptables, or a very large rule set)");
        return HostCommands.firewallResult(command, r.status(), r.out(), r.err(), sudo);
    }

    @Override
    public String birdProtocols(String client, String socket) throws Exception {
        List<String> argv = HostCommands.birdArgv(client, socket);
        String command = String.join(" ", argv);
        Process p;
        try {
            p = start(argv);
        } catch (IOException e) {
            return HostCommands.birdResult(command, 127, "", "command not found");
        }
        Exited r = finish(p, command, "(a BIRD busy reconfiguring, or stopped with SIGSTOP, accepts the connection but "
                + "does not reply)");
        return HostCommands.birdResult(command, r.status(), r.out(), r.err());
    }

    @Override
    public String processStats() throws Exception {
        StringBuilder all = new StringBuilder();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                try {
                    all.append(readProcFile(pid.resolve("stat")).strip()).append('\n');
                } catch (IOException e) {
                    // the process ended between the listing and the read
                }
            }
        }
        return all.toString();
    }

    @Override
    public List<DeletedFile> deletedOpenFiles() throws Exception {
        List<DeletedFile> found = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (context.remaining().toMillis() < 50) {
                    break;
                }
                scanFds(pid, found);
            }
        }
        return found;
    }

    @Override
    public List<ProcessFds> busyProcessFds() throws Exception {
        List<ProcessFds> found = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (context.remaining().toMillis() < 50) {
                    break;
                }
                long limit = softOpenFilesLimit(pid);
                if (limit <= 0) {
                    continue;
                }
                long open = 0;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path ignored : fds) {
                        open++;
                    }
                } catch (IOException e) {
                    continue;
                }
                if (open * 2 >= limit) {
                    found.add(new ProcessFds(Long.parseLong(pid.getFileName().toString()), comm(pid), open, limit));
                }
            }
        }
        return found;
    }

    /** The soft limit from the "Max open files" line of /proc/PID/limits; -1 when unlimited or unreadable. */
    static long softOpenFilesLimit(Path pid) {
        try {
            for (String line : readProcFile(pid.resolve("limits")).lines().toList()) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? -1 : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended, or its limits are not ours to read
        }
        return -1;
    }

    private static void scanFds(Path pid, List<DeletedFile> found) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            String command = null;
            for (Path fd : fds) {
                String link;
                try {
                    link = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                // memfd and shared-memory segments are anonymous by design, not a leak of disk space
                if (!link.endsWith(" (deleted)") || !link.startsWith("/") || link.startsWith("/memfd:")
                        || link.startsWith("/dev/")) {
                    continue;
                }
                long bytes;
                try {
                    bytes = Files.size(fd);
                } catch (IOException e) {
                    continue;
                }
                if (command == null) {
                    command = comm(pid);
                }
                found.add(new DeletedFile(Long.parseLong(pid.getFileName().toString()), command,
                        fd.getFileName().toString(), link.substring(0, link.length() - " (deleted)".length()), bytes));
            }
        } catch (IOException e) {
            // a process that ended, or one whose fds we may not list: nothing to count
        }
    }

    private static String comm(Path pid) {
        try {
            return readProcFile(pid.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Reads a /proc or /sys file to its end. Not Files.readString: these files report size 0, and for sysctl files
     * such as /proc/sys/fs/file-nr the JDK's size-based read returns only the first byte(s).
     */
    static String readProcFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public HostAccess.Result command(List<String> argv) throws Exception {
        Process p;
        try {
            p = start(argv);
        } catch (IOException e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, argv.get(0) + " cannot be run on this machine (not "
                    + "installed, or not on PATH)");
        }
        Exited r = finish(p, argv.get(0), "");
        return new HostAccess.Result(r.out(), r.err(), r.status());
    }

    /** Runs a fixed command without a shell, in the C locale, killed at the deadline. */
    private String run(List<String> argv, boolean failOnError) throws Exception {
        return run(argv, failOnError, false);
    }

    /** {@code partial}: a non-zero exit (find naming paths that do not exist) still returns what was printed. */
    private String run(List<String> argv, boolean failOnError, boolean partial) throws Exception {
        String command = String.join(" ", argv);
        Exited r = finish(start(argv), command, "(a hung network file system makes df block)");
        if (r.status() != 0 && !partial && (failOnError || r.out().lines().count() < 2)) {
            throw HostCommands.failure(command, r.err());
        }
        return r.out();
    }

    private record Exited(int status, String out, String err) {
    }

    /** A fixed program without a shell, in the C locale, reading nothing; IOException when it cannot be started. */
    private static Process start(List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /**
     * Waits for {@code p} until the deadline, reading its output meanwhile. At the deadline it is killed with every
     * process it started (MHA's tools start ssh to each node: none may outlive the check): TIMEOUT, with
     * {@code whyLate}'s usual cause.
     */
    private Exited finish(Process p, String command, String whyLate) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), DRAINS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), DRAINS);
        if (!p.waitFor(Math.max(1, context.remaining().toMillis()), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new ProbeException(ProbeErrors.TIMEOUT, command + " did not finish before the deadline"
                    + (whyLate.isEmpty() ? "" : " " + whyLate));
        }
        return new Exited(p.exitValue(), out.get(1, TimeUnit.SECONDS), err.get(1, TimeUnit.SECONDS));
    }

    /**
     * Threads that read a command's output while it runs. Reads block until the command exits, so they must not take
     * the JDK's common pool, which the CLI sizes for short tasks (see {@code Opsdoc.main}).
     */
    private static final ExecutorService DRAINS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsdoc-local-output");
        t.setDaemon(true);
        return t;
    });

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
