package io.opsdoc.checks.kubernetes;

import java.util.List;

/**
 * What {@code k8s-etcd} reads through etcd's v3 JSON gateway: the member list as one member answered it, each
 * member's {@code Maintenance.Status} (or why it did not answer), the alarms (null when they could not be read: with
 * no leader etcd 3.4 does not answer the alarm call), and the backend quota with where it came from.
 *
 * @param listedBy     the endpoint that answered the member list
 * @param quotaBytes   the backend quota in bytes
 * @param quotaSource  {@code metrics} (etcd_server_quota_backend_bytes), {@code status} (dbSizeQuota, etcd 3.6+),
 *                     {@code parameter} or {@code default}
 * @param alarmsError  why the alarms are unknown, when {@code alarms} is null
 * @param metrics      each answering member's /metrics at the start of the window
 * @param metricsLater the same a window later (empty when the window was 0)
 * @param windowMs     the window actually measured between the two readings, 0 when there is one reading
 */
public record EtcdFacts(String listedBy, String clusterId, List<Member> members, List<Alarm> alarms, String alarmsError,
        long quotaBytes, String quotaSource, List<EtcdMetrics> metrics, List<EtcdMetrics> metricsLater, long windowMs) {

    /** Without /metrics readings (facts recorded before k8s-etcd read them). */
    public EtcdFacts(String listedBy, String clusterId, List<Member> members, List<Alarm> alarms, String alarmsError,
            long quotaBytes, String quotaSource) {
        this(listedBy, clusterId, members, alarms, alarmsError, quotaBytes, quotaSource, List.of(), List.of(), 0);
    }

    public EtcdFacts {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        metricsLater = metricsLater == null ? List.of() : List.copyOf(metricsLater);
    }

    /**
     * One member of the member list and its own status. {@code error} is set when its status could not be read (then
     * the numbers are 0); {@code leader} is 0 when the member knows no leader.
     */
    public record Member(String id, String name, List<String> clientUrls, boolean learner, String error,
            String version, long dbSize, long dbSizeInUse, String leader, long raftIndex, long raftAppliedIndex,
            long raftTerm, List<String> errors) {

        public boolean answered() {
            return error == null;
        }

        public boolean hasLeader() {
            return answered() && leader != null && !leader.isEmpty() && !"0".equals(leader);
        }
    }

    /** One raised alarm: the member it is on (by id) and its type (NOSPACE, CORRUPT). */
    public record Alarm(String memberId, String alarm) {
    }
}
