package io.camelingestor.ingest.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.core.RecordError;
import io.camelingestor.ingest.transform.StagedRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What COPY stores is exactly what was read: every character a cell can hold survives the two encodings. */
class StagingWriterTest extends IngestorIntegrationTest {

    @Autowired
    StagingWriter writer;

    private final UUID batchId = UUID.randomUUID();

    @AfterEach
    void dropTable() {
        jdbc.execute("DROP TABLE IF EXISTS staging_writer_test");
        jdbc.execute("DROP ROLE IF EXISTS staging_writer_not_owner");
    }

    @Test
    void aUserWhoDoesNotOwnTheTableStagesAllTheSame() throws Exception {
        // an external database whose tables a DBA owns: the application may write, not summarise the index
        jdbc.execute("CREATE TABLE staging_writer_test (LIKE staging_template INCLUDING ALL)");
        jdbc.execute("CREATE ROLE staging_writer_not_owner LOGIN PASSWORD 'not-owner-for-test'");
        jdbc.execute("GRANT SELECT, INSERT, DELETE ON staging_writer_test TO staging_writer_not_owner");
        String url = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getURL())
                .replaceFirst("\\?.*", ""); // without the embedded database's user=postgres
        var asNotOwner = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                url, "staging_writer_not_owner", "not-owner-for-test");
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(asNotOwner)
                        .queryForObject("SELECT current_user", String.class))
                .isEqualTo("staging_writer_not_owner");
        StagingWriter notOwner = new StagingWriter(asNotOwner);
        List<Long> committed = new ArrayList<>();

        long written = notOwner.write(
                batchId,
                "staging_writer_test",
                true,
                List.of(new StagedRow(2, new String[] {"a"}, new Object[] {1L}, List.of()))
                        .iterator(),
                committing(committed));

        assertThat(written).isEqualTo(1);
        assertThat(committed).containsExactly(2L);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM staging_writer_test WHERE batch_id = ?", Long.class, batchId))
                .isEqualTo(1L);
    }

    @Test
    void aRememberedBrinIndexThatWasDroppedIsForgotten() throws Exception {
        // the writer remembers a staging table's BRIN index (one statement less per file); when it has gone since,
        // the batch is staged all the same and the next one looks again
        jdbc.execute("CREATE TABLE staging_writer_test (LIKE staging_template INCLUDING ALL)");
        String index = jdbc.queryForObject(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'staging_writer_test'::regclass",
                String.class);
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        writer.write(batchId, "staging_writer_test", true, oneRow(), committing(new ArrayList<>()));
        jdbc.execute("DROP INDEX " + index);

        assertThat(writer.write(second, "staging_writer_test", true, oneRow(), committing(new ArrayList<>())))
                .isEqualTo(1);
        assertThat(writer.write(third, "staging_writer_test", true, oneRow(), committing(new ArrayList<>())))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging_writer_test", Long.class))
                .isEqualTo(3L);
    }

    /** Commits every chunk, as for an input of several, and notes the rows committed. */
    private static StagingWriter.Chunks committing(List<Long> committed) {
        return new StagingWriter.Chunks() {
            @Override
            public void committed(long upToRow) {
                committed.add(upToRow);
            }

            @Override
            public boolean takeOver(OpenStaging staging) {
                return false;
            }
        };
    }

    private static java.util.Iterator<StagedRow> oneRow() {
        return List.of(new StagedRow(2, new String[] {"a"}, new Object[] {1L}, List.of()))
                .iterator();
    }

    @Test
    void everyCharacterOfAValueSurvives() throws Exception {
        jdbc.execute("CREATE TABLE staging_writer_test (LIKE staging_template INCLUDING ALL)");
        String[] raw = {
            "plain",
            "with \"quotes\"",
            "back\\slash",
            "tab\there",
            "new\nline",
            "cr\rhere",
            "",
            "{braces,comma}",
            "NULL",
            "nul\0byte",
            "ünïcödé ✓",
            " spaced "
        };
        Object[] data = {
            null,
            1L,
            2.5,
            new BigDecimal("1E+3"),
            true,
            LocalDate.of(2025, 3, 30),
            Instant.parse("2025-03-30T01:00:00Z"),
            "x"
        };
        List<RecordError> errors = List.of(new RecordError(3, "Hourly", "a\\b\"c\td", "type", "not a number"));

        List<Long> committed = new ArrayList<>();
        long written = writer.write(
                batchId,
                "staging_writer_test",
                true,
                List.of(new StagedRow(2, raw, data, List.of()), new StagedRow(3, raw, data, errors))
                        .iterator(),
                committing(committed));

        assertThat(written).isEqualTo(2);
        assertThat(committed).containsExactly(3L);
        String[] expectedRaw = raw.clone();
        expectedRaw[9] = "nul\uFFFDbyte";
        List<String[]> raws = jdbc.query(
                "SELECT raw FROM staging_writer_test WHERE batch_id = ? ORDER BY row_number",
                (rs, n) -> (String[]) rs.getArray(1).getArray(),
                batchId);
        assertThat(raws).hasSize(2).allSatisfy(r -> assertThat(r).containsExactly(expectedRaw));
        String[] staged = jdbc.queryForObject(
                "SELECT data FROM staging_writer_test WHERE batch_id = ? AND row_number = 2",
                (rs, n) -> (String[]) rs.getArray(1).getArray(),
                batchId);
        assertThat(Arrays.asList(staged))
                .containsExactly(null, "1", "2.5", "1000", "true", "2025-03-30", "2025-03-30T01:00:00Z", "x");
        assertThat(jdbc.queryForObject(
                        "SELECT errors->0->>'value' FROM staging_writer_test WHERE batch_id = ? AND NOT valid",
                        String.class,
                        batchId))
                .isEqualTo("a\\b\"c\td");
        // the element "NULL" is a string, the first data element a real NULL
        assertThat(jdbc.queryForObject(
                        "SELECT raw[9] IS NOT NULL AND data[1] IS NULL FROM staging_writer_test WHERE row_number = 2",
                        Boolean.class))
                .isTrue();
    }
}
