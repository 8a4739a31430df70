package io.opsdoc.checks.zookeeper;

/**
 * What one member of the target's list answered, as the server wrote it.
 *
 * @param member     host:port as the target names it
 * @param srvr       the answer to {@code srvr}, or null when none came
 * @param mntr       the answer to {@code mntr}, or null when none came (not asked, or the member did not answer)
 * @param errorCode  the probe-error code (UNREACHABLE, TIMEOUT, ...) when the member could not be asked, else null
 * @param error      why, in one line, else null
 */
public record MemberReply(String member, String srvr, String mntr, String errorCode, String error) {

    boolean down() {
        return errorCode != null;
    }

    boolean notServing() {
        return srvr != null && srvr.contains(FourLetterWord.NOT_SERVING);
    }

    boolean srvrDenied() {
        return srvr != null && srvr.contains(FourLetterWord.NOT_WHITELISTED);
    }

    boolean mntrDenied() {
        return mntr != null && mntr.contains(FourLetterWord.NOT_WHITELISTED);
    }

    /**
     * leader, follower, observer, standalone, read-only: from srvr's {@code Mode:}, or mntr's {@code zk_server_state}
     * when only mntr is allowed; null when neither told.
     */
    String mode() {
        if (srvr != null) {
            for (String line : srvr.split("\n")) {
                if (line.startsWith("Mode:")) {
                    return line.substring(5).trim();
                }
            }
        }
        Mntr m = Mntr.parse(mntr);
        return m == null ? null : m.string("zk_server_state");
    }

    /** A {@code srvr} field such as {@code Zxid}, or null. */
    String srvrField(String name) {
        if (srvr == null) {
            return null;
        }
        for (String line : srvr.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
