package io.opsdoc.checks.edge;

import java.util.List;

/**
 * The upstream servers of one nginx (from its configuration or a parameter), each probed, and the upstream errors of
 * its error log over the window.
 *
 * @param log null when no error-log was given
 */
public record UpstreamsFacts(String statusUrl, String probe, List<Server> servers, LogScan log) {

    /**
     * @param address    as written after {@code server}: host:port (unix: sockets are listed, not probed)
     * @param maxFails   the server's max_fails, null when not set (nginx's default is 1)
     * @param markedDown the {@code down} parameter: out of rotation on purpose, not probed
     * @param probed     false for unix sockets and servers marked down
     * @param result     "connected in 3 ms", "HTTP 200 in 12 ms", "connection refused", "no answer within 2 s" ...
     */
    public record Server(String upstream, String address, boolean backup, boolean markedDown, Integer maxFails,
            boolean probed, boolean up, String result) {
    }

    /**
     * @param windowSeconds lines with a timestamp this recent count
     * @param readBytes     bytes read from the end of the file
     */
    public record LogScan(String path, long windowSeconds, long readBytes, long linesInWindow, List<Hit> hits) {
    }

    /**
     * @param kind     the UpstreamsCode constant the pattern maps to
     * @param upstream the {@code upstream: "..."} of the lines, or "(none)"
     * @param example  the last such line without its request and client fields
     */
    public record Hit(String kind, String upstream, long count, String lastTime, String example) {
    }
}
