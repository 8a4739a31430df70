package io.opsdoc.checks.http;

import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plaintext preamble before TLS on a STARTTLS port (RFC 3207 for SMTP): greeting, EHLO, STARTTLS, 220. Read a
 * byte at a time, so that nothing of the server's TLS answer is ever swallowed by a buffer. Only SMTP so far.
 */
final class Starttls {
    static final List<String> PROTOCOLS = List.of("smtp");

    private Starttls() {
    }

    static void smtp(Socket s, String where) throws IOException, ProbeException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        List<String> greeting = reply(in, where);
        if (!greeting.get(0).startsWith("220")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, where + " does not accept mail now: " + greeting.get(0));
        }
        out.write("EHLO opsdoc.invalid\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> ehlo = reply(in, where);
        if (!ehlo.get(0).startsWith("250")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, where + " refused EHLO: " + ehlo.get(0));
        }
        if (ehlo.stream().noneMatch(l -> l.length() > 4 && l.substring(4).trim().toUpperCase(Locale.ROOT).equals("STARTTLS"))) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, where + " does not offer STARTTLS (EHLO lists "
                    + String.join(" ", ehlo.stream().skip(1).map(l -> l.substring(Math.min(4, l.length()))).toList())
                    + "): mail to it travels in cleartext");
        }
        out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> ready = reply(in, where);
        if (!ready.get(0).startsWith("220")) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, where + " refused STARTTLS: " + ready.get(0));
        }
    }

    /** One SMTP reply: lines "250-..." until "250 ...". */
    private static List<String> reply(InputStream in, String where) throws IOException, ProbeException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < 100) {
            String line = line(in);
            if (line == null) {
                throw new java.io.EOFException("connection closed during the SMTP preamble");
            }
            if (line.length() < 3 || !Character.isDigit(line.charAt(0))) {
                throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " does not speak SMTP (it sent '"
                        + line.substring(0, Math.min(40, line.length())).replaceAll("[^\\x20-\\x7e]", "?") + "')");
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') {
                return lines;
            }
        }
        throw new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " sent an SMTP reply of more than 100 lines");
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString();
            }
            if (c != '\r' && b.length() < 1000) {
                b.append((char) c);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }
}
