package io.camelingestor.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.dataset.SqlIdentifiers;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * What the API reads about batches, their stages, quality checks, invalid rows, dead letters and sources:
 * rows as maps with camelCase keys, timestamps as instants and jsonb as JSON trees.
 */
@Component
public class BatchQueries {

    // long strings (a 20 MB cell, say) are cut to this many characters in the answers, by the database
    // (cut_text and cut_strings, V8_1__answers_cut_long_strings.sql)

    private static final String BATCH_COLUMNS =
            """
            id, source_id AS "sourceId", dataset, input_id AS "inputId", source_uri AS "sourceUri",
            device_id AS "deviceId", granularity, content_type AS "contentType", status, rows_total AS "rowsTotal",
            rows_valid AS "rowsValid", rows_invalid AS "rowsInvalid", rows_loaded AS "rowsLoaded",
            quality_score AS "qualityScore", cut_text(error, 1000) AS error, duplicate_of AS "duplicateOf", node_id AS "nodeId",
            started_at AS "startedAt", finished_at AS "finishedAt\"""";

    private static final String DEAD_LETTER_COLUMNS =
            """
            d.id, d.batch_id AS "batchId", d.source_id AS "sourceId", b.dataset, d.input_id AS "inputId",
            d.route_id AS "routeId", d.error_class AS "errorClass", cut_text(d.error_message, 1000) AS "errorMessage",
            d.payload_ref AS "payloadRef", d.created_at AS "createdAt", d.replayed_at AS "replayedAt",
            d.replay_batch_id AS "replayBatchId\"""";

    /** Filters of a batch list; null means any. */
    public record BatchFilter(String dataset, String status, String inputId, String sourceId) {}

    public record Page(List<Map<String, Object>> items, long total) {}

    private final JdbcTemplate jdbc;
    private final RowMapper<Map<String, Object>> rows;

    public BatchQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.rows = (rs, n) -> row(rs, json);
    }

    public Page batches(BatchFilter filter, int limit, long offset) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        condition(where, args, "dataset", filter.dataset());
        condition(where, args, "status", filter.status());
        condition(where, args, "input_id", filter.inputId());
        condition(where, args, "source_id", filter.sourceId());
        long total = jdbc.queryForObject("SELECT count(*) FROM ingest_batch" + where, Long.class, args.toArray());
        args.add(limit);
        args.add(offset);
        List<Map<String, Object>> items = jdbc.query(
                "SELECT " + BATCH_COLUMNS + " FROM ingest_batch" + where
                        + " ORDER BY started_at DESC, id LIMIT ? OFFSET ?",
                rows,
                args.toArray());
        return new Page(items, total);
    }

    public Optional<Map<String, Object>> batch(UUID id) {
        return jdbc.query("SELECT " + BATCH_COLUMNS + " FROM ingest_batch WHERE id = ?", rows, id).stream()
                .findFirst();
    }

    public List<Map<String, Object>> stages(UUID batchId) {
        return jdbc.query(
                """
                SELECT stage, status, started_at AS "startedAt", finished_at AS "finishedAt",
                       records_in AS "recordsIn", records_out AS "recordsOut", cut_text(error, 1000) AS error
                FROM pipeline_execution WHERE batch_id = ? ORDER BY started_at, id
                """,
                rows,
                batchId);
    }

    public List<Map<String, Object>> qualityChecks(UUID batchId) {
        return jdbc.query(
                """
                SELECT check_type AS "check", column_name AS "column", failed_count AS "failedCount",
                       total_count AS "totalCount", cut_strings(sample_failures, 1000) AS "sampleFailures"
                FROM data_quality_check WHERE batch_id = ? ORDER BY check_type, column_name
                """,
                rows,
                batchId);
    }

    /** Up to {@code limit} invalid staged rows of the batch, with what was read and what was wrong. */
    public List<Map<String, Object>> invalidRows(String stagingTable, UUID batchId, int limit) {
        return jdbc.query(
                // raw is a text[]: its column names are the batch's (V3__compact_staging.sql)
                "SELECT s.row_number AS \"rowNumber\","
                        + " cut_strings(staging_object(b.metadata->'detected'->'header', s.raw), 1000) AS raw,"
                        + " cut_strings(s.errors, 1000) AS errors FROM " + SqlIdentifiers.quote(stagingTable)
                        + " s JOIN ingest_batch b ON b.id = s.batch_id"
                        + " WHERE s.batch_id = ? AND NOT s.valid ORDER BY s.row_number LIMIT ?",
                rows,
                batchId,
                limit);
    }

    public Page deadLetters(Boolean open, String dataset, int limit, long offset) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (open != null) {
            where.append(open ? " AND d.replayed_at IS NULL" : " AND d.replayed_at IS NOT NULL");
        }
        if (dataset != null) {
            where.append(" AND b.dataset = ?");
            args.add(dataset);
        }
        String from = " FROM dead_letter d LEFT JOIN ingest_batch b ON b.id = d.batch_id";
        long total = jdbc.queryForObject("SELECT count(*)" + from + where, Long.class, args.toArray());
        args.add(limit);
        args.add(offset);
        List<Map<String, Object>> items = jdbc.query(
                "SELECT " + DEAD_LETTER_COLUMNS + from + where
                        + " ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?",
                rows,
                args.toArray());
        return new Page(items, total);
    }

    public Optional<Map<String, Object>> deadLetter(long id) {
        return jdbc
                .query(
                        "SELECT " + DEAD_LETTER_COLUMNS
                                + " FROM dead_letter d LEFT JOIN ingest_batch b ON b.id = d.batch_id WHERE d.id = ?",
                        rows,
                        id)
                .stream()
                .findFirst();
    }

    public List<Map<String, Object>> deadLettersOf(UUID batchId) {
        return jdbc.query(
                "SELECT " + DEAD_LETTER_COLUMNS
                        + " FROM dead_letter d LEFT JOIN ingest_batch b ON b.id = d.batch_id WHERE d.batch_id = ?"
                        + " ORDER BY d.id",
                rows,
                batchId);
    }

    /**
     * Marks a dead letter replayed; the batch that ingests its input again is linked to it when it registers
     * (see {@link BatchStore#register}).
     *
     * @return false when it was already replayed (or replayed by a concurrent request)
     */
    public boolean markReplayed(long id) {
        return jdbc.update("UPDATE dead_letter SET replayed_at = now() WHERE id = ? AND replayed_at IS NULL", id) == 1;
    }

    /** Undoes {@link #markReplayed} when the payload could not be put back. */
    public void unmarkReplayed(long id) {
        jdbc.update("UPDATE dead_letter SET replayed_at = NULL WHERE id = ? AND replay_batch_id IS NULL", id);
    }

    public Optional<UUID> replayBatch(long deadLetterId) {
        return Optional.ofNullable(
                jdbc.queryForObject("SELECT replay_batch_id FROM dead_letter WHERE id = ?", UUID.class, deadLetterId));
    }

    /** The newest batch of an input that started at or after the given time. */
    public Optional<UUID> batchOfInput(String inputId, Timestamp since) {
        return jdbc
                .queryForList(
                        "SELECT id FROM ingest_batch WHERE input_id = ? AND started_at >= ? ORDER BY started_at DESC LIMIT 1",
                        UUID.class,
                        inputId,
                        since)
                .stream()
                .findFirst();
    }

    public long openDeadLetters() {
        return jdbc.queryForObject("SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL", Long.class);
    }

    /**
     * What the batches say about one source: last run, last success, last error and how many inputs failed
     * in a row since the last success.
     */
    public Map<String, Object> sourceActivity(String sourceId) {
        Map<String, Object> activity = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT max(started_at) AS "lastRun",
                       max(finished_at) FILTER (WHERE status IN ('LOADED', 'PARTIAL', 'DUPLICATE')) AS "lastSuccess",
                       count(*) FILTER (WHERE status IN ('REJECTED', 'FAILED') AND started_at > coalesce(
                           (SELECT max(started_at) FROM ingest_batch s WHERE s.source_id = ?
                              AND s.status IN ('LOADED', 'PARTIAL', 'DUPLICATE')), '-infinity')) AS "consecutiveFailures"
                FROM ingest_batch WHERE source_id = ?
                """,
                rs -> {
                    activity.putAll(row(rs, null));
                },
                sourceId,
                sourceId);
        activity.put(
                "lastError",
                jdbc
                        .query(
                                """
                                SELECT created_at AS "at", cut_text(error_message, 1000) AS "message", batch_id AS "batchId"
                                FROM dead_letter WHERE source_id = ? ORDER BY created_at DESC LIMIT 1
                                """,
                                rows,
                                sourceId)
                        .stream()
                        .findFirst()
                        .orElse(null));
        activity.put(
                "cursor",
                jdbc.query(
                        """
                        SELECT device_id AS "deviceId", last_ts AS "lastTs", updated_at AS "updatedAt"
                        FROM api_fetch_cursor WHERE source_id = ? ORDER BY device_id
                        """,
                        rows,
                        sourceId));
        return activity;
    }

    private static void condition(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static Map<String, Object> row(ResultSet rs, ObjectMapper json) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            if (value instanceof Timestamp t) {
                value = t.toInstant();
            } else if (value instanceof PGobject pg && "jsonb".equals(pg.getType()) && json != null) {
                try {
                    value = pg.getValue() == null ? null : json.readTree(pg.getValue());
                } catch (JsonProcessingException e) {
                    // not the database's fault: never reported as "database unavailable"
                    throw new IllegalStateException(
                            "jsonb column " + meta.getColumnLabel(i) + " could not be read: " + e.getOriginalMessage(),
                            e);
                }
            }
            row.put(meta.getColumnLabel(i), value);
        }
        return row;
    }
}
