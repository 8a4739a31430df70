package io.opsdoc.lab.memcached;

import io.opsdoc.lab.ExternalBinary;
import io.opsdoc.lab.Ports;
import io.opsdoc.lab.scenario.Lab;
import io.opsdoc.lab.support.LabFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One memcached 1.6 from Debian on loopback with 8 MiB of memory and {@code -c 512} (its own ~13 descriptors count
 * against -c, so fewer starts no server), and {@code -o no_maxconns_fast}: at the limit it stops accepting (and
 * counts listen_disabled_num) instead of answering "Too many open connections". The faults are clients of the lab's
 * own: held connections, bursts of connections past the limit, a writer that overfills memory, a reader of absent
 * keys. Each runs while the check runs and stops when its handle is closed; {@link #heal()} flushes the cache.
 */
public final class MemcachedLab implements Lab {
    static final Path BINARY = Path.of("/usr/bin/memcached");
    static final int MAX_CONNS = 512;
    private static MemcachedLab shared;

    private final Path dir;
    private final int port;
    private final Process process;

    private MemcachedLab(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static String unavailable() {
        return Files.isExecutable(BINARY) ? null : ExternalBinary.missing("memcached", BINARY.toString());
    }

    public static synchronized MemcachedLab shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public static MemcachedLab start() {
        Path dir = LabFiles.tempDir("opsdoc-memcached-lab-");
        int port = Ports.freePort();
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-l", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "0", "-m", "8", "-c", Integer.toString(MAX_CONNS), "-o", "no_maxconns_fast"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root")); // memcached refuses to run as root unless told which user to be
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("memcached.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start memcached", e);
        }
        MemcachedLab lab = new MemcachedLab(dir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "memcached-lab-cleanup"));
        try {
            lab.await("memcached answering stats", () -> lab.stats().containsKey("curr_connections"));
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    public String target() {
        return "memcached://127.0.0.1:" + port;
    }

    // ---- faults ----

    /** Holds {@code count} idle connections open (e.g. an application pool sized too big) until closed. */
    public AutoCloseable holdConnections(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(connect(2_000));
            }
        } catch (IOException e) {
            closeAll(sockets);
            throw e;
        }
        await("memcached holding " + count + " connections", () -> number("curr_connections") >= count);
        return () -> closeAll(sockets);
    }

    /**
     * Clients that open connections in bursts past maxconns every half second, as a restarting application fleet
     * does: each burst makes memcached stop accepting until connections close. Runs until closed.
     */
    public AutoCloseable connectionBursts() {
        long before = number("listen_disabled_num");
        ClientLoop loop = ClientLoop.start("memcached-bursts", () -> {
            List<Socket> burst = new ArrayList<>();
            try {
                while (burst.size() < MAX_CONNS + 200) {
                    // a connection the listener no longer accepts times out in its backlog: the burst is over
                    burst.add(connect(100));
                }
            } catch (IOException e) {
                // the limit is reached
            }
            Thread.sleep(50);
            closeAll(burst);
            Thread.sleep(500);
        });
        await("listen_disabled_num rising", () -> number("listen_disabled_num") > before);
        return loop;
    }

    /** A writer that keeps storing 100 KB values under new keys: 8 MiB fill at once and memcached evicts. */
    public AutoCloseable overfill() {
        long before = number("evictions");
        byte[] value = new byte[100_000];
        java.util.Arrays.fill(value, (byte) 'x');
        int[] key = {0};
        ClientLoop loop = ClientLoop.withConnection("memcached-writer", this, (out, in) -> {
            for (int i = 0; i < 20; i++) {
                out.write(("set fill-" + key[0]++ + " 0 0 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            for (int i = 0; i < 20; i++) {
                readLine(in);
            }
            Thread.sleep(100);
        });
        await("evictions rising", () -> number("evictions") > before);
        return loop;
    }

    /** A reader asking for keys nobody stored (a cache emptied by a restart, or keys renamed by a deploy). */
    public AutoCloseable readAbsentKeys() {
        long before = number("get_misses");
        int[] key = {0};
        ClientLoop loop = ClientLoop.withConnection("memcached-reader", this, (out, in) -> {
            for (int i = 0; i < 50; i++) {
                out.write(("get absent-" + key[0]++ + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            for (int i = 0; i < 50; i++) {
                readLine(in); // END: a miss
            }
            Thread.sleep(50);
        });
        await("get_misses rising", () -> number("get_misses") > before + 200);
        return loop;
    }

    @Override
    public void heal() {
        // the fault handles stop their clients; what they stored goes, so the next scenario starts from an empty cache.
        // After a maxconns fault memcached may still have its listener off while it closes hundreds of connections (a
        // connect then waits in the backlog): ask again until it answers rather than failing on the first try.
        await("memcached to take flush_all", () -> {
            try (Socket s = connect(2_000)) {
                s.setSoTimeout(3_000);
                s.getOutputStream().write("flush_all\r\n".getBytes(StandardCharsets.US_ASCII));
                return "OK".equals(readLine(s.getInputStream()));
            } catch (IOException e) {
                return false;
            }
        });
        await("the lab's clients gone", () -> number("curr_connections") <= 2);
    }

    /** memcached's total_connections: every connection it ever accepted, this question's own included. */
    public long totalConnections() {
        return number("total_connections");
    }

    // ---- helpers ----

    Socket connect(int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    Map<String, String> stats() {
        Map<String, String> m = new HashMap<>();
        try (Socket s = connect(2_000)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            for (String line = readLine(in); !line.equals("END"); line = readLine(in)) {
                String[] f = line.split(" ", 3);
                if (f.length == 3) {
                    m.put(f[1], f[2]);
                }
            }
        } catch (IOException e) {
            // not answering yet, or at its limit: the caller polls again
        }
        return m;
    }

    private long number(String key) {
        String v = stats().get(key);
        return v == null ? -1 : Long.parseLong(v);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("memcached closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // the rest are closed anyway
            }
        }
        sockets.clear();
    }

    private void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).pollInSameThread()
                .failFast("memcached exited: " + log(), () -> !process.isAlive()).until(condition);
    }

    String log() {
        try {
            String s = Files.readString(dir.resolve("memcached.log"));
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public String where() {
        return "memcached 127.0.0.1:" + port + " (-m 8 -c " + MAX_CONNS + " -o no_maxconns_fast)";
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LabFiles.deleteRecursively(dir);
    }
}
