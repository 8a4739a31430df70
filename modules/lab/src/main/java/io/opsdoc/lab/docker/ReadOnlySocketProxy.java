package io.opsdoc.lab.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code opsdoc grants} recommends in front of the Docker socket, in a few lines: a unix socket that passes the
 * read-only GETs the Docker checks make (optionally version-prefixed) to dockerd and answers everything else 403, as
 * tecnativa/docker-socket-proxy does with POST=0. The scenarios run the checks through it, so a check that needed
 * more than its grants would fail here.
 */
final class ReadOnlySocketProxy implements AutoCloseable {
    private static final List<Pattern> ALLOWED = List.of(
            Pattern.compile("/_ping"), Pattern.compile("/version"), Pattern.compile("/info"),
            Pattern.compile("/containers/json"), Pattern.compile("/containers/[0-9a-zA-Z_.-]+/json"),
            Pattern.compile("/system/df"), Pattern.compile("/volumes"), Pattern.compile("/networks"));
    private static final Pattern VERSION = Pattern.compile("^/v1\\.\\d+(/.*)$");

    private final ServerSocketChannel server;
    private final Path socket;
    private final Path upstream;

    private ReadOnlySocketProxy(ServerSocketChannel server, Path socket, Path upstream) {
        this.server = server;
        this.socket = socket;
        this.upstream = upstream;
    }

    static ReadOnlySocketProxy start(Path socket, Path upstream) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socket));
            ReadOnlySocketProxy p = new ReadOnlySocketProxy(s, socket, upstream);
            Thread t = new Thread(p::acceptLoop, "docker-lab-proxy");
            t.setDaemon(true);
            t.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab's socket proxy", e);
        }
    }

    Path socket() {
        return socket;
    }

    /** Whether a request line's method and path pass. */
    static boolean allowed(String method, String target) {
        if (!method.equals("GET")) {
            return false;
        }
        String path = target.split("\\?", 2)[0];
        var v = VERSION.matcher(path);
        if (v.matches()) {
            path = v.group(1);
        }
        String p = path;
        return ALLOWED.stream().anyMatch(a -> a.matcher(p).matches());
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread t = new Thread(() -> serve(client), "docker-lab-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (!new String(head.toByteArray(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                b.clear();
                int n = client.read(b);
                if (n < 0 || head.size() > 16384) {
                    return;
                }
                head.write(b.array(), 0, n);
            }
            String[] line = new String(head.toByteArray(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0].split(" ");
            if (line.length < 3 || !allowed(line[0], line[1])) {
                String body = "Forbidden: the lab's read-only proxy passes GET of the Docker checks' paths only\n";
                client.write(ByteBuffer.wrap(("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII)));
                return;
            }
            try (SocketChannel up = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                up.connect(UnixDomainSocketAddress.of(upstream));
                ByteBuffer out = ByteBuffer.wrap(head.toByteArray());
                while (out.hasRemaining()) {
                    up.write(out);
                }
                // the checks send Connection: close; copy the answer until dockerd closes
                ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                while (up.read(in) >= 0) {
                    in.flip();
                    while (in.hasRemaining()) {
                        client.write(in);
                    }
                    in.clear();
                }
            }
        } catch (IOException e) {
            // the client or dockerd went away: nothing to answer
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the lab directory is removed next
        }
    }
}
