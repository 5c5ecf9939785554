package io.camelingestor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.IngestorIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * What one small file costs the database, counted on the real data source while the real routes ingest it: the
 * statements (round trips) and commits of the threads that handle the file (its folder's poller, the ingest
 * worker, the load's thread if any, the claims' release), from the file's rename into its folder to its claim released. Upper bounds, so
 * that the per-file bookkeeping cannot silently grow back; the breakdown is logged.
 *
 * <p>A context of its own (its own data folder and embedded PostgreSQL), because its data source is wrapped.
 */
@Import(CountingDataSource.Config.class)
@TestPropertySource(properties = {"ingestor.data-dir=target/it-statements", "ingestor.node-id=it-statements"})
class BookkeepingStatementsPerFileTest extends IngestorIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(BookkeepingStatementsPerFileTest.class);

    // before issue 15 item 2: 18 statements and 13 commits (LOADED), 7 and 7 (DUPLICATE); the COPY of the rows is
    // not a statement here. Registration is now one statement; the batch's end (status, quality checks, stage and
    // load timings) one statement in the load's transaction, returning what the end-of-batch event needs; the
    // staging table's BRIN index is looked up once per table (the first file of a dataset costs one more).
    // Then 10 statements and 6 commits (LOADED): an input of one chunk is now loaded in its staging's transaction
    // (no commit of staging, no second connection), its staging table summarised at most once a second (here each
    // time: the files come more than a second apart), and claims of files that have moved on are released
    // together, a moment later (here one per statement: the files come one at a time).
    // Then 7 statements (6 after the first file of a dataset): the load's savepoint, settings and insert go in
    // one round trip, and the batch's end with the commit in another (PgJDBC sends the parts of a multi-statement
    // text together: one statement here). The commit is still counted as one (the JDBC commit that follows it).
    static final int FIRST_LOADED_STATEMENTS = 7;
    static final int LOADED_STATEMENTS = 6;
    static final int LOADED_COMMITS = 5;
    static final int DUPLICATE_STATEMENTS = 3;
    static final int DUPLICATE_COMMITS = 3;
    // a file rejected by the quality gate after staging: its staged rows committed, its batch's end and dead letter
    // in one statement (was 10 statements)
    static final int REJECTED_STATEMENTS = 5;
    static final int REJECTED_COMMITS = 6;

    @Autowired
    CountingDataSource counter;

    @Test
    void smallLoadedFilesADuplicateAndARejectedOne() throws Exception {
        String device = newDeviceId();
        String content = "Date and Time,Hourly\n2025-03-01T00:00:00,1.5\n2025-03-01T01:00:00,2.5\n";

        List<CountingDataSource.Call> first = ingest(device + "-hourly.csv", content, "LOADED");
        List<CountingDataSource.Call> second =
                ingest(device + "-hourly-next.csv", content.replace("2025-03-01", "2025-03-02"), "LOADED");
        List<CountingDataSource.Call> duplicate = ingest(device + "-hourly-again.csv", content, "DUPLICATE");
        List<CountingDataSource.Call> rejected =
                ingest(device + "-hourly-bad.csv", "Date and Time,Hourly\nnot a date,abc\n", "REJECTED");

        assertThat(statements(first)).isLessThanOrEqualTo(FIRST_LOADED_STATEMENTS);
        assertThat(commits(first)).isLessThanOrEqualTo(LOADED_COMMITS);
        assertThat(statements(second)).isLessThanOrEqualTo(LOADED_STATEMENTS);
        assertThat(commits(second)).isLessThanOrEqualTo(LOADED_COMMITS);
        assertThat(statements(duplicate)).isLessThanOrEqualTo(DUPLICATE_STATEMENTS);
        assertThat(commits(duplicate)).isLessThanOrEqualTo(DUPLICATE_COMMITS);
        assertThat(statements(rejected)).isLessThanOrEqualTo(REJECTED_STATEMENTS);
        assertThat(commits(rejected)).isLessThanOrEqualTo(REJECTED_COMMITS);
    }

    private List<CountingDataSource.Call> ingest(String name, String content, String status) throws Exception {
        counter.record(t -> t.startsWith("ingest-worker")
                || t.startsWith("load-")
                || t.contains("file://")
                || t.startsWith("file-claims-release"));
        drop("energy_hourly", name, content);
        Map<String, Object> batch = awaitBatch("energy_hourly", name);
        cleanUp(batch);
        // the claim is released after the file has moved: the last of the file's statements
        await().atMost(INGEST_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM file_claim WHERE messageId LIKE ?", Long.class, "%" + name)
                        == 0);
        List<CountingDataSource.Call> calls = counter.stop();
        assertThat(batch).containsEntry("status", status);
        assertThat(status.equals("REJECTED") ? rejected("energy_hourly", name) : processed("energy_hourly", name))
                .exists();
        if (status.equals("REJECTED")) {
            assertThat(jdbc.queryForList(
                            "SELECT stage FROM pipeline_execution WHERE batch_id = ? ORDER BY id",
                            String.class,
                            batch.get("id")))
                    .containsExactly("stage");
            assertThat(jdbc.queryForObject(
                            "SELECT error_message FROM dead_letter WHERE batch_id = ?", String.class, batch.get("id")))
                    .startsWith("no valid rows");
        }
        log.info(
                "{} file: {} statements, {} commits:\n{}",
                status,
                statements(calls),
                commits(calls),
                calls.stream()
                        .map(c -> "  " + c.thread().replaceAll(" - file://.*", "") + " " + c.kind()
                                + (c.sql() == null ? "" : " " + abbreviate(c.sql())))
                        .collect(Collectors.joining("\n")));
        return calls;
    }

    private static long statements(List<CountingDataSource.Call> calls) {
        return calls.stream().filter(CountingDataSource.Call::isStatement).count();
    }

    private static long commits(List<CountingDataSource.Call> calls) {
        return calls.stream().filter(CountingDataSource.Call::isCommit).count();
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 110 ? sql : sql.substring(0, 110) + "...";
    }
}
