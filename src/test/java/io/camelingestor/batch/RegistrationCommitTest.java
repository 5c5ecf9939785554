package io.camelingestor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.datasource.DatasourceRegistry;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A new input's registration commits without waiting for the WAL flush, a duplicate's with it (see
 * {@link BatchStore#register}); either way the setting is the statement's own and the pooled connection goes back
 * committing synchronously, as every later statement on it must.
 */
class RegistrationCommitTest extends IngestorIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ObjectMapper json;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    DatasourceRegistry datasources;

    @Autowired
    CamelContext camel;

    @Test
    void aRegistrationIsCommittedAndLeavesItsConnectionCommittingSynchronously() throws Exception {
        String sha256 = "registration-" + UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            BatchStore store = new BatchStore(
                    new JdbcTemplate(new SingleConnectionDataSource(connection, true)),
                    tx,
                    json,
                    properties,
                    events,
                    datasources);

            Exchange first = registered(store, "first.csv", sha256);

            assertThat(first.getProperty(ExchangeProperties.BATCH_STATUS)).isEqualTo(BatchStatus.RUNNING);
            assertThat(synchronousCommit(connection)).isEqualTo("on");
            UUID firstId = first.getProperty(ExchangeProperties.BATCH_ID, UUID.class);
            // committed: another session sees it
            assertThat(jdbc.queryForObject("SELECT status FROM ingest_batch WHERE id = ?", String.class, firstId))
                    .isEqualTo("RUNNING");

            jdbc.update("UPDATE ingest_batch SET status = 'LOADED', finished_at = now() WHERE id = ?", firstId);
            Exchange again = registered(store, "again.csv", sha256);

            assertThat(again.getProperty(ExchangeProperties.BATCH_STATUS)).isEqualTo(BatchStatus.DUPLICATE);
            assertThat(synchronousCommit(connection)).isEqualTo("on");
            assertThat(jdbc.queryForObject(
                            "SELECT duplicate_of FROM ingest_batch WHERE id = ?",
                            UUID.class,
                            again.getProperty(ExchangeProperties.BATCH_ID, UUID.class)))
                    .isEqualTo(firstId);
        } finally {
            jdbc.update("DELETE FROM ingest_batch WHERE sha256 = ? AND duplicate_of IS NOT NULL", sha256);
            jdbc.update("DELETE FROM ingest_batch WHERE sha256 = ?", sha256);
        }
    }

    private Exchange registered(BatchStore store, String name, String sha256) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(
                ExchangeProperties.ENVELOPE,
                new Envelope(
                        "test",
                        name,
                        "test:" + name,
                        Instant.now(),
                        "csv",
                        "registration_test",
                        null,
                        null,
                        sha256,
                        Map.of()));
        store.register(exchange);
        return exchange;
    }

    private static String synchronousCommit(Connection connection) throws Exception {
        try (var show = connection.createStatement();
                var rs = show.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
