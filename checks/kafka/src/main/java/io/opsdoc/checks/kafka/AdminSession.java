package io.opsdoc.checks.kafka;

import io.opsdoc.core.CheckContext;
import io.opsdoc.core.ClientPool;
import io.opsdoc.core.ProbeErrors;
import io.opsdoc.core.ProbeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * An Admin client bounded by the check's deadline. Every timeout the client has (connection setup, each request,
 * each API call) is set from the time left, and every result is awaited no longer than that; Kafka's errors are
 * translated into the reasons an operator can act on. Only describe and list calls are made through it.
 */
final class AdminSession implements AutoCloseable {
    /** Left for our own message to win over the runner's generic timeout. */
    private static final int MARGIN_MS = 250;

    private final CheckContext context;
    private final String checkId;
    private final ClientPool.Lease<Admin> lease;
    private final Admin admin;

    private AdminSession(CheckContext context, String checkId, ClientPool.Lease<Admin> lease) {
        this.context = context;
        this.checkId = checkId;
        this.lease = lease;
        this.admin = lease.client();
    }

    /**
     * An Admin client from the context's pool. {@code opsdoc serve} keeps it between scrapes, which saves the
     * bootstrap and metadata round trips; a client that saw any error is discarded rather than given back.
     */
    static AdminSession open(CheckContext context, String checkId) throws ProbeException {
        KafkaTarget.requireReachable(context);
        try {
            return new AdminSession(context, checkId, context.clients().lease("kafka-admin", context, () -> create(context),
                    // bounded by the opening run's deadline: pending calls are abandoned, never awaited past it (a
                    // kept client evicted later has no time left and closes at once)
                    a -> a.close(Duration.ofMillis(Math.min(1_000, Math.max(0, context.remainingMillis() - MARGIN_MS))))));
        } catch (ProbeException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ProbeException(ProbeErrors.PROBE_FAILED, "cannot create a Kafka Admin client: " + oneLine(e), e);
        }
    }

    private static Admin create(CheckContext context) {
        Map<String, Object> props = new HashMap<>(KafkaTarget.clientProperties(context));
        int budget = Math.max(1, context.remainingMillis() - MARGIN_MS);
        props.put("request.timeout.ms", budget);
        props.put("default.api.timeout.ms", budget);
        props.put("socket.connection.setup.timeout.ms", Math.min(budget, 10_000));
        props.put("socket.connection.setup.timeout.max.ms", Math.min(budget, 10_000));
        props.put("reconnect.backoff.max.ms", 1_000);
        props.put("retry.backoff.ms", 100);
        props.put("retry.backoff.max.ms", 1_000);
        return Admin.create(props);
    }

    Admin admin() {
        return admin;
    }

    /** Milliseconds an API call may take: what is left of the deadline, minus a margin. */
    int callTimeout() {
        return Math.max(1, context.remainingMillis() - MARGIN_MS);
    }

    /** Waits for a result within the deadline; translates what Kafka reports into precise reasons. */
    <T> T get(KafkaFuture<T> future, String what) throws ProbeException, InterruptedException {
        return getUnless(future, what, null);
    }

    /**
     * Like {@link #get}, but null when the call failed with {@code absent}: an answer that means "not there any
     * more" (a topic deleted since it was listed) rather than a failure to measure; the connection stays usable.
     */
    <T> T getUnless(KafkaFuture<T> future, String what, Class<? extends Throwable> absent)
            throws ProbeException, InterruptedException {
        try {
            return future.get(Math.max(1, context.remainingMillis() - MARGIN_MS / 2), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            lease.broken();
            throw timeout(what, e, context);
        } catch (ExecutionException e) {
            if (absent != null && absent.isInstance(e.getCause())) {
                return null;
            }
            lease.broken();
            throw translate(e.getCause() == null ? e : e.getCause(), what);
        }
    }

    ProbeException translate(Throwable t, String what) {
        lease.broken();
        return translate(t, what, context, checkId);
    }

    /** Kafka's errors as the reasons an operator can act on; anything unrecognised is PROBE_FAILED with its message. */
    static ProbeException translate(Throwable t, String what, CheckContext context, String checkId) {
        if (t instanceof ProbeException p) {
            return p;
        }
        if (t instanceof TimeoutException) {
            return timeout(what, t, context);
        }
        if (t instanceof AuthenticationException) {
            return new ProbeException(ProbeErrors.AUTH_FAILED, "the brokers at " + KafkaTarget.bootstrap(context.target())
                    + " rejected the login: " + oneLine(t), t);
        }
        if (t instanceof AuthorizationException) {
            return new ProbeException(ProbeErrors.PERMISSION_DENIED, "not allowed to " + what + " (" + oneLine(t)
                    + "); run 'opsdoc grants " + checkId + "' for the ACLs it needs", t);
        }
        if (t instanceof UnsupportedVersionException) {
            return new ProbeException(ProbeErrors.PROBE_FAILED, "the brokers are too old to " + what + " ("
                    + oneLine(t) + ")", t);
        }
        return new ProbeException(ProbeErrors.PROBE_FAILED, "cannot " + what + ": " + t.getClass().getSimpleName()
                + ": " + oneLine(t), t);
    }

    private static ProbeException timeout(String what, Throwable t, CheckContext context) {
        return new ProbeException(ProbeErrors.TIMEOUT, "no answer from the brokers at "
                + KafkaTarget.bootstrap(context.target()) + " to " + what + " before the deadline (the port accepts "
                + "connections but the Kafka protocol got no reply: a hung broker, a non-Kafka service on that port, "
                + "or TLS/SASL expected by the listener)", t);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        lease.close();
    }
}
