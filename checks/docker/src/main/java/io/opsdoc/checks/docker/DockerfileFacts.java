package io.opsdoc.checks.docker;

import java.util.List;
import java.util.Map;

/**
 * A Dockerfile read into instructions (continuation lines joined, comments dropped), and the entrypoint scripts it
 * copies from its build context, read from disk.
 *
 * @param scripts in-image path of an ENTRYPOINT script → its text (only those found in the build context)
 */
public record DockerfileFacts(String path, List<Instruction> instructions, Map<String, String> scripts) {

    /** One instruction: the line it starts on, the keyword upper-cased, the rest as written. */
    public record Instruction(int line, String keyword, String args) {
    }
}
