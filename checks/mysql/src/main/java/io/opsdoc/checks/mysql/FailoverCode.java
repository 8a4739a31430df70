package io.opsdoc.checks.mysql;

import io.opsdoc.core.CheckCode;

/** The finding codes of mysql-failover-readiness, each a section of the note mysql/failover-readiness. */
enum FailoverCode implements CheckCode {
    BEST_CANDIDATE("the replica to promote if the source fails now"),
    REPLICA_MISSING_TRANSACTIONS("a replica lacks transactions the best candidate has"),
    NO_CAUGHT_UP_CANDIDATE("even the best candidate lacks transactions the source has"),
    REPLICAS_DIVERGED("a replica has transactions its source never had (errant transactions)"),
    NOT_REPLICATING_FROM_SOURCE("a listed replica does not replicate from this source"),
    CANNOT_BECOME_SOURCE("a replica without binlog or log_slave_updates cannot serve the others"),
    NO_PROMOTABLE_REPLICA("every replica of the source lacks a binlog or log_slave_updates"),
    NO_REPLICA("no replica replicates from this source: nothing to fail over to"),
    REPLICA_UNREADABLE("a listed replica could not be read"),
    MHA_MANAGER_DOWN("the MHA manager is not monitoring the source (masterha_check_status is not PING_OK)"),
    MHA_REPL_CHECK_FAILED("masterha_check_repl failed: MHA could not fail over cleanly now");

    private final String title;

    FailoverCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return MysqlFailoverReadiness.NOTE;
    }
}
