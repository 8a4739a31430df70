package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.Target;
import java.util.List;

/**
 * The host transport ({@code local:} and {@code ssh://}) for checks of other families that read a host's files, such
 * as keepalived-vip and lvs-realserver-prereqs in checks/edge: the same fixed read-only command set, the same pooled
 * SSH session, the same probe errors. Only what those checks need is public; the rest stays package-private here.
 */
public final class HostAccess {
    /** The schemes a host target may have: {@code local} and {@code ssh}. */
    public static final List<String> SCHEMES = HostGrants.SCHEMES;

    private HostAccess() {
    }

    /** What a check may ask a host: one /proc or /sys file, or the interfaces' addresses. */
    public interface Host {
        /** One file under /proc or /sys, e.g. {@code /proc/sys/net/ipv4/conf/all/arp_ignore}. */
        String read(String path) throws Exception;

        /** {@code ip -o addr show} in the C locale; null when this transport cannot give it ({@code local:?proc=}). */
        String addresses() throws Exception;
    }

    @FunctionalInterface
    public interface Reading<T> {
        T apply(Host host) throws Exception;
    }

    /** Rejects a malformed host target (no user on ssh://, an unknown option) before any connection. */
    public static void validate(Target target) {
        HostTarget.of(target);
    }

    /** How output names the host: {@code local:} or {@code user@host:port}. */
    public static String where(Target target) {
        return HostTarget.of(target).where();
    }

    /** Reads from the context's target over a session opened (or leased) and closed here. */
    public static <T> T with(CheckContext context, Reading<T> body) throws Exception {
        return HostSession.with(context, reader -> body.apply(new Host() {
            @Override
            public String read(String path) throws Exception {
                return reader.read(path);
            }

            @Override
            public String addresses() throws Exception {
                return reader.addresses();
            }
        }));
    }

    /** A check's codes: its own enum's, then the SSH transport's (host key unknown or changed). */
    public static <E extends Enum<E> & CheckCode> List<FindingCode> codesWith(Class<E> own) {
        return HostTransportCode.with(own);
    }

    /** The grants of a host check: an ordinary user with a key over SSH, nothing on local:. */
    public static List<GrantSet> grants(String checkId, String reads) {
        return HostGrants.grants(checkId, reads);
    }
}
