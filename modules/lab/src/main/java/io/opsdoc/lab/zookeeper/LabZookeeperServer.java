package io.opsdoc.lab.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One ZooKeeper server JVM of the lab, from Debian's jars (zookeeper.jar's manifest lists its dependencies;
 * slf4j-simple gives it a log). Its data directory and myid survive restarts, as on a real host; its zoo.cfg is
 * rewritten on each start, so a fault can start it with another 4lw whitelist.
 */
final class LabZookeeperServer {
    static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");
    static final Path SLF4J_SIMPLE_JAR = Path.of("/usr/share/java/slf4j-simple.jar");
    static final String FULL_WHITELIST = "srvr,mntr,conf";

    private final String name;
    private final Path dir;
    private final int clientPort;
    private final String servers;
    /** 0 for none: the member starts with ulimit -n of this many files (a unit with a low LimitNOFILE). */
    private final int openFilesLimit;
    private Process process;
    private volatile boolean paused;
    private String whitelist = FULL_WHITELIST;

    /**
     * @param myid    this member's id, or 0 for a standalone server
     * @param servers the {@code server.N=...} lines of the ensemble, or empty for a standalone server
     */
    LabZookeeperServer(String name, Path dir, int myid, int clientPort, String servers, int openFilesLimit) {
        this.name = name;
        this.dir = dir;
        this.clientPort = clientPort;
        this.servers = servers;
        this.openFilesLimit = openFilesLimit;
        try {
            Files.createDirectories(dir.resolve("data"));
            if (myid > 0) {
                Files.writeString(dir.resolve("data/myid"), Integer.toString(myid));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    int clientPort() {
        return clientPort;
    }

    String address() {
        return "127.0.0.1:" + clientPort;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** True when the process ended without the lab killing it. */
    boolean exited() {
        return process != null && !process.isAlive();
    }

    String whitelist() {
        return whitelist;
    }

    /** Starts the JVM (returns at once; callers await what they need). */
    synchronized void start(String fourLetterWords) {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        whitelist = fourLetterWords;
        // tickTime 500: elections and session timeouts in seconds, not tens of seconds. The admin server is off:
        // the checks use four-letter words. A sessionless connection (a raw socket that never starts a session) is
        // dropped after 10 s by default; the lab's held connections must outlast a scenario.
        String cfg = "tickTime=500\ninitLimit=10\nsyncLimit=5\n"
                + "dataDir=" + dir.resolve("data") + "\n"
                + "clientPort=" + clientPort + "\nclientPortAddress=127.0.0.1\n"
                + "4lw.commands.whitelist=" + fourLetterWords + "\n"
                + "admin.enableServer=false\n"
                + servers;
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dzookeeper.nio.sessionlessCnxnTimeout=300000",
                "-cp", ZOOKEEPER_JAR + ":" + SLF4J_SIMPLE_JAR,
                servers.isEmpty() ? "org.apache.zookeeper.server.ZooKeeperServerMain"
                        : "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                dir.resolve("zoo.cfg").toString()));
        List<String> command = new ArrayList<>();
        if (openFilesLimit > 0) {
            command.addAll(List.of("/bin/sh", "-c", "ulimit -n " + openFilesLimit + " && exec \"$0\" \"$@\""));
        }
        command.addAll(java);
        try {
            Files.writeString(dir.resolve("zoo.cfg"), cfg);
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab's ZooKeeper " + name, e);
        }
    }

    /** SIGSTOP: the JVM hangs as in a long GC pause or a stuck host; its sockets stay open, nothing answers. */
    synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    boolean paused() {
        return paused;
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException(this.name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + this.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + this.name, e);
        }
    }

    /** SIGKILL, as a crashed host or an OOM kill would: no goodbye to the ensemble. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL ends a stopped process too
        paused = false;
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The server's answer to a four-letter word, or "" when it does not answer. */
    String fourLetterWord(String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPort), 1_000);
            s.setSoTimeout(2_000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** leader, follower, standalone, ..., or null when it does not serve. */
    String mode() {
        for (String line : fourLetterWord("srvr").split("\n")) {
            if (line.startsWith("Mode:")) {
                return line.substring(5).trim();
            }
        }
        return null;
    }

    /** A number from mntr, or -1. */
    long mntr(String key) {
        for (String line : fourLetterWord("mntr").split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2 && f[0].equals(key)) {
                try {
                    return (long) Double.parseDouble(f[1].trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    String log() {
        try {
            String s = Files.readString(dir.resolve("server.log"));
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
