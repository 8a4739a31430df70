package io.opsdoc.lab.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica session in an open transaction that holds one row's exclusive lock, so that the replica's applier
 * blocks on the next replicated change to that row. Closing it rolls back and lets the applier continue.
 */
final class RowLockSession implements ApplierFaults.AppliedLag {
    private static final Logger log = LoggerFactory.getLogger(RowLockSession.class);

    private final Connection connection;
    private final Consumer<RowLockSession> onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    private RowLockSession(Connection connection, Consumer<RowLockSession> onRelease) {
        this.connection = connection;
        this.onRelease = onRelease;
    }

    /**
     * Locks {@code table}'s row {@code rowId} in a transaction on {@code replica}, a connection this session then
     * owns (and closes, also when the lock cannot be taken). {@code onRelease} runs once, when the lock goes.
     */
    static RowLockSession lock(Connection replica, String table, int rowId, Consumer<RowLockSession> onRelease) {
        try {
            replica.setAutoCommit(false);
            Jdbc.singleValue(replica, "SELECT v FROM " + table + " WHERE id = " + rowId + " FOR UPDATE");
            return new RowLockSession(replica, onRelease);
        } catch (SQLException e) {
            try {
                replica.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot lock row " + rowId + " on the replica", e);
        }
    }

    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        onRelease.accept(this);
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // closing the connection ends the transaction anyway
            log.debug("rollback of the row lock session failed", e);
        }
    }
}
