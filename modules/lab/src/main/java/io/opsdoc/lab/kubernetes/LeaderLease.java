package io.opsdoc.lab.kubernetes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A leader-election Lease as client-go's LeaseLock writes it for kube-controller-manager and kube-scheduler:
 * {@code holderIdentity} {@code <hostname>_<uuid>}, {@code leaseDurationSeconds} 15, acquire and renew times as
 * MicroTime (six fractional digits), {@code leaseTransitions} counting leader changes. On a clean shutdown client-go
 * releases it: empty holderIdentity, leaseDurationSeconds 1, both times set to the moment of release.
 */
final class LeaderLease {
    static final List<String> COMPONENTS = List.of("kube-controller-manager", "kube-scheduler");
    static final String PATH = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String name;
    private final String uid;
    private final Instant created;
    private final String holder;
    private final int durationSeconds;
    private final Instant acquired;
    /** null: renewed a second before each request, as a live leader renewing every 2 s. */
    private final Instant renewed;
    private final int transitions;

    private LeaderLease(String name, String uid, Instant created, String holder, int durationSeconds, Instant acquired,
            Instant renewed, int transitions) {
        this.name = name;
        this.uid = uid;
        this.created = created;
        this.holder = holder;
        this.durationSeconds = durationSeconds;
        this.acquired = acquired;
        this.renewed = renewed;
        this.transitions = transitions;
    }

    /** Held by the instance on cp-1 since it won the election 3 hours ago (after two leader changes), renewing. */
    static LeaderLease renewing(String component) {
        Instant now = Instant.now();
        return new LeaderLease(component, UUID.nameUUIDFromBytes(component.getBytes()).toString(),
                now.minus(40, ChronoUnit.DAYS), "cp-1_" + UUID.randomUUID(), 15, now.minus(3, ChronoUnit.HOURS), null, 2);
    }

    /** The same holder, which stopped renewing at {@code at}. */
    LeaderLease frozenAt(Instant at) {
        return new LeaderLease(name, uid, created, holder, durationSeconds, acquired, at, transitions);
    }

    /** Released on shutdown at {@code at}. */
    LeaderLease releasedAt(Instant at) {
        return new LeaderLease(name, uid, created, "", 1, at, at, transitions);
    }

    String json(Instant now) {
        Instant renew = renewed != null ? renewed : now.minusSeconds(1);
        return "{\"kind\":\"Lease\",\"apiVersion\":\"coordination.k8s.io/v1\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"kube-system\",\"uid\":\"" + uid + "\",\"resourceVersion\":\""
                + (renew.getEpochSecond() % 10_000_000) + "\",\"creationTimestamp\":\"" + SECONDS.format(created)
                + "\"},\"spec\":{\"holderIdentity\":\"" + holder + "\",\"leaseDurationSeconds\":" + durationSeconds
                + ",\"acquireTime\":\"" + MICRO.format(acquired) + "\",\"renewTime\":\"" + MICRO.format(renew)
                + "\",\"leaseTransitions\":" + transitions + "}}";
    }

    /** The API server's answer to GET of a Lease that does not exist. */
    static String notFound(String name) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"leases.coordination.k8s.io \\\"" + name + "\\\" not found\",\"reason\":\"NotFound\",\"details\":"
                + "{\"name\":\"" + name + "\",\"group\":\"coordination.k8s.io\",\"kind\":\"leases\"},\"code\":404}";
    }
}
