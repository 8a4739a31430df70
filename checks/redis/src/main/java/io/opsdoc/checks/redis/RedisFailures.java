package io.opsdoc.checks.redis;

import io.opsdoc.core.FailureClassifier;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import io.opsdoc.core.Target;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Jedis failures as the reasons an operator can act on: network, TLS, protocol, authentication, server state. */
final class RedisFailures {
    private RedisFailures() {
    }

    /**
     * A Jedis failure that escaped the command-level translation: a network reason when there is one, and a reply
     * Jedis could not parse as RESP is the wrong protocol on that port; anything else is passed on unchanged.
     */
    static Exception classified(JedisException e, Target target, int defaultPort) {
        ProbeException tls = tlsFailure(e, target);
        if (tls != null) {
            return tls;
        }
        String where = target.host().host() + ":" + target.host().portOr(defaultPort);
        FailureClassifier.Failure network = FailureClassifier.network(e, where, target.host().host());
        if (network != null) {
            return new ProbeException(network.code(), network.reason(), e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Unknown reply") || m.contains("protocol") || e.getCause() instanceof NumberFormatException
                || e.getCause() instanceof ClassCastException) {
            return new ProbeException(ProbeErrors.PROTOCOL_ERROR, where + " answered, but not in the Redis protocol "
                    + "(RESP): is this a Redis port? (" + FailureClassifier.oneLine(e) + ")", e);
        }
        return e;
    }

    /**
     * Jedis reports "failed to connect to any host resolved for DNS name" with the real socket errors attached as
     * suppressed exceptions, not as the cause; hand the engine the socket error so it can say refused, DNS or timeout.
     */
    static Exception networkCause(JedisException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException io) {
                return io;
            }
            for (Throwable s : t.getSuppressed()) {
                for (Throwable u = s; u != null; u = u.getCause()) {
                    if (u instanceof java.io.IOException io) {
                        return io;
                    }
                }
            }
        }
        return e;
    }

    /**
     * A failed TLS handshake (rediss://), or a cleartext connection the server closed at once, as a reason an
     * operator can act on; null for any other failure.
     */
    static ProbeException tlsFailure(Exception e, Target target) {
        boolean tls = Tls.on(target);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException ssl) {
                String m = String.valueOf(ssl.getMessage());
                String hint = m.contains("PKIX") || m.contains("certification path")
                        ? "the server's certificate is not signed by a trusted CA; give its CA with rediss://host:port?cacert=FILE"
                        : m.contains("No subject alternative") || m.contains("doesn't match") || m.contains("No name matching")
                        ? "the server's certificate does not name " + target.host().host() + " (subject alternative names)"
                        : m.contains("bad_certificate") || m.contains("certificate_required")
                        ? "the server wants a client certificate (tls-auth-clients yes); opsdoc sends none, so the server "
                        + "must run with tls-auth-clients no or optional"
                        : m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")
                        ? "the port does not speak TLS; use redis:// for a cleartext port"
                        : "the handshake failed";
                return new ProbeException(FailureClassifier.notTls(ssl) ? ProbeErrors.PROTOCOL_ERROR : ProbeErrors.PROBE_FAILED,
                        "TLS with " + target.host() + " failed: " + hint + " (" + FailureClassifier.oneLine(ssl) + ")", e);
            }
        }
        Throwable io = e instanceof JedisException je ? networkCause(je) : e;
        if (tls && FailureClassifier.reset(io)) {
            return new ProbeException(ProbeErrors.CONNECTION_RESET, "TLS with " + target.host() + " failed: the server closed "
                    + "the connection during the handshake (a client certificate required, or not a TLS port)", e);
        }
        return null;
    }

    /** Turns the replies an operator can act on into precise reasons; null for anything else. */
    static ProbeException translate(JedisDataException e, Target target, String command, String checkId) {
        String m = e.getMessage() == null ? "" : e.getMessage().trim();
        String user = target.user().orElse("default");
        if (m.startsWith("NOPERM")) {
            return new ProbeException(ProbeErrors.PERMISSION_DENIED, "user '" + user + "' may not run " + command
                    + " (NOPERM); run 'opsdoc grants " + (checkId.isEmpty() ? "<check>" : checkId)
                    + "' for the ACL it needs", e);
        }
        if (e instanceof JedisAccessControlException || m.startsWith("WRONGPASS") || m.startsWith("NOAUTH")
                || m.contains("without any password configured")) {
            String why = m.startsWith("NOAUTH") ? "the server requires a password and none was given (--password-env, "
                    + "--password-file or OPSDOC_PASSWORD)"
                    : m.contains("without any password configured") ? "a password was given but the server's default user "
                    + "has none; give the user name in the URI (redis://USER@host:port) if it is an ACL user"
                    : "wrong password, or no such user, or the user is disabled";
            return new ProbeException(ProbeErrors.AUTH_FAILED, "authentication as '" + user + "' at " + target.host()
                    + " failed (" + firstWord(m) + "): " + why, e);
        }
        if (m.contains("max number of clients reached")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " refused the probe's connection: "
                    + "max number of clients reached (connected_clients = maxclients); applications are being refused too", e);
        }
        if (m.startsWith("LOADING")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " is loading its dataset into memory "
                    + "and answers nothing else until it is done (LOADING)", e);
        }
        if (m.startsWith("BUSY")) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, target.host() + " is running a script or function "
                    + "longer than its busy-reply threshold and answers every other command with BUSY", e);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, command + " failed: " + m, e);
    }

    static String firstWord(String m) {
        int sp = m.indexOf(' ');
        return sp > 0 ? m.substring(0, sp) : m;
    }
}
