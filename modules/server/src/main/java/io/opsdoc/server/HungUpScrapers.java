package io.opsdoc.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices scrapers that hung up while their probe waits or runs. Jetty reads a connection only when the handler asks
 * for request content, so a GET whose client has gone is found out only when the answer is written, at the probe's
 * deadline. The kernel knows at once: the server's end of a connection whose peer closed is in CLOSE_WAIT. On Linux
 * this reads that state from {@code /proc/net/tcp} and {@code /proc/net/tcp6} every {@code period} while probes are
 * watched, and calls their hang-up action; elsewhere (no such files) it does nothing and the deadline still bounds
 * every probe. Only the server's own connections are matched: by its local port and the scraper's address and port.
 */
final class HungUpScrapers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HungUpScrapers.class);
    private static final String CLOSE_WAIT = "08";
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    /** A connection as the kernel lists it: the server's port, the peer's address (IPv4-mapped made plain) and port. */
    record Key(int localPort, String remoteAddress, int remotePort) {
    }

    private final Map<Key, Runnable> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final boolean available;

    HungUpScrapers(long periodMillis) {
        this.available = TABLES.stream().anyMatch(Files::isReadable);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opsdoc-hangups");
            t.setDaemon(true);
            return t;
        });
        if (available) {
            timer.scheduleWithFixedDelay(this::scan, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Watches one scrape's connection; the returned action stops watching it (call it when the probe is answered). */
    Runnable watch(SocketAddress local, SocketAddress remote, Runnable onHangUp) {
        if (!available || !(local instanceof InetSocketAddress l) || !(remote instanceof InetSocketAddress r) || r.getAddress() == null) {
            return () -> { };
        }
        Key key = new Key(l.getPort(), plain(r.getAddress().getAddress()), r.getPort());
        watched.put(key, onHangUp);
        return () -> watched.remove(key, onHangUp);
    }

    int watching() {
        return watched.size();
    }

    private void scan() {
        if (watched.isEmpty()) {
            return;
        }
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                Key k = closeWait(lines.get(i));
                Runnable hangUp = k == null ? null : watched.remove(k);
                if (hangUp != null) {
                    try {
                        hangUp.run();
                    } catch (RuntimeException e) {
                        LOG.warn("cancelling the probe of a scraper that hung up failed: {}", e.toString());
                    }
                }
            }
        }
    }

    /** The connection of one line of /proc/net/tcp{,6} when it is in CLOSE_WAIT, else null. */
    static Key closeWait(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(CLOSE_WAIT)) {
            return null;
        }
        String[] local = f[1].split(":");
        String[] remote = f[2].split(":");
        if (local.length != 2 || remote.length != 2) {
            return null;
        }
        try {
            return new Key(Integer.parseInt(local[1], 16), plain(kernelOrder(remote[0])), Integer.parseInt(remote[1], 16));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The kernel prints an address as 32-bit words in host (little-endian) order: each 4-byte group reversed. */
    static byte[] kernelOrder(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        for (int w = 0; w + 3 < b.length; w += 4) {
            byte t = b[w];
            b[w] = b[w + 3];
            b[w + 3] = t;
            t = b[w + 1];
            b[w + 1] = b[w + 2];
            b[w + 2] = t;
        }
        return b;
    }

    /** The address as text, an IPv4-mapped IPv6 address as its IPv4 form (Java reports dual-stack peers that way). */
    static String plain(byte[] addr) {
        byte[] a = addr;
        if (a.length == 16 && Arrays.equals(Arrays.copyOf(a, 12), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watched.clear();
    }
}
