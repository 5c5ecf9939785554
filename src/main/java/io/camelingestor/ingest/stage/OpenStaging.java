package io.camelingestor.ingest.stage;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging rows of a whole input (one chunk), copied and not yet committed, with the connection that holds
 * them: whoever takes it over ({@link StagingWriter.Chunks#takeOver}) runs its own statements in the same
 * transaction and ends it with {@link #commit()} or {@link #close()}. One commit for the input's staging and
 * load, and no thread between them, is what a small file's cost is made of (issue 15).
 */
public final class OpenStaging implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenStaging.class);

    private final StagingWriter writer;
    private final Connection connection;
    private final String stagingTable;
    private final String brin;
    private final long lastRow;
    private boolean ended;

    OpenStaging(StagingWriter writer, Connection connection, String stagingTable, String brin, long lastRow) {
        this.writer = writer;
        this.connection = connection;
        this.stagingTable = stagingTable;
        this.brin = brin;
        this.lastRow = lastRow;
    }

    /** The connection whose open transaction holds the staged rows; never closed by its user. */
    public Connection connection() {
        return connection;
    }

    /** The row number of the input's last staged row. */
    public long lastRow() {
        return lastRow;
    }

    /**
     * Commits the transaction (the staged rows and whatever was done in it since) and gives the connection back;
     * the staging table's new block ranges are summarised when due.
     */
    public void commit() throws SQLException {
        if (ended) {
            throw new IllegalStateException("the staging of " + stagingTable + " has already ended");
        }
        ended = true;
        try (connection) {
            connection.commit();
            try {
                writer.summarizeWhenDue(connection, stagingTable, brin);
            } catch (SQLException e) {
                // the rows are committed; an unsummarised range only makes the next loads read more
                log.warn("could not summarise {}: {}", brin, e.getMessage());
            }
        }
    }

    /** Rolls back what was not committed (a no-op after {@link #commit()}) and gives the connection back. */
    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("could not roll back the staging of {}: {}", stagingTable, e.getMessage());
        }
    }
}
