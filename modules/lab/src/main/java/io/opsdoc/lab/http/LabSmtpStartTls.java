package io.opsdoc.lab.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server for the STARTTLS preamble only (RFC 3207): 220 greeting, EHLO answered with STARTTLS among
 * its extensions, 220 to STARTTLS, then a JSSE server handshake with one lab certificate, then it waits for the client
 * to hang up. Enough for tls-endpoint's {@code ?starttls=smtp}; it delivers no mail. JSSE here speaks TLS 1.2/1.3 only,
 * like any current mail server.
 */
final class LabSmtpStartTls implements AutoCloseable {
    private final ServerSocket socket;
    private final SSLContext tls;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "opsdoc-lab-smtp");
        t.setDaemon(true);
        return t;
    });

    LabSmtpStartTls(KeyStore keyStore, String password) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password.toCharArray());
            tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the lab SMTP server's TLS", e);
        }
        pool.submit(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            send(out, "220 lab.example ESMTP opsdoc-lab\r\n");
            while (true) {
                String line = line(in);
                if (line == null) {
                    return;
                }
                String cmd = line.toUpperCase(java.util.Locale.ROOT);
                if (cmd.startsWith("EHLO")) {
                    send(out, "250-lab.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n");
                } else if (cmd.equals("STARTTLS")) {
                    send(out, "220 2.0.0 Ready to start TLS\r\n");
                    SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    t.setUseClientMode(false);
                    t.startHandshake();
                    t.getInputStream().read(); // until the client closes
                    return;
                } else if (cmd.equals("QUIT")) {
                    send(out, "221 2.0.0 Bye\r\n");
                    return;
                } else {
                    send(out, "502 5.5.2 Error: command not recognized\r\n");
                }
            }
        } catch (SocketException e) {
            // the client hung up
        } catch (IOException e) {
            // a refused handshake (an old protocol asked for), a timeout: the next connection is independent
        }
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        pool.shutdownNow();
    }
}
