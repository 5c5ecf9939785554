package io.camelingestor.ingest.stage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.camelingestor.core.RecordError;
import io.camelingestor.dataset.SqlIdentifiers;
import io.camelingestor.ingest.transform.StagedRow;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Streams staged rows into a dataset's staging table with PostgreSQL {@code COPY ... FROM STDIN} (PgJDBC's
 * CopyManager), in buffers of about a megabyte, so that memory does not grow with the input and the database
 * parses one buffer while the next one is being read. Every {@value #CHUNK_ROWS} rows the COPY ends and
 * commits, and the caller hears which rows are staged, so that they can be loaded while the rest is read (see
 * {@code ingest.load.ConcurrentLoad}; an input of one chunk may instead be left open for its load, see
 * {@link OpenStaging}). Staging rows are not the data: committing them early loads nothing, and the
 * batch's earlier staging rows (from an attempt that failed) are deleted first, never doubled.
 *
 * <p>Values go as text arrays ({@code raw}: the cells as read, {@code data}: the coerced values in the load
 * columns' order); the column names are the batch's, kept once in its metadata. Encoding an array literal
 * inside COPY's text format is written here by hand: PgJDBC only encodes arrays for bound parameters.
 */
@Component
public class StagingWriter {

    static final int CHUNK_ROWS = 32_768;
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String UNDEFINED_TABLE = "42P01";
    private static final Logger log = LoggerFactory.getLogger(StagingWriter.class);
    /**
     * The COPY text is sent every 128 K characters. The buffer, its String and their UTF-8 bytes then stay under
     * 512 KB, G1's humongous threshold at -Xmx256m (1 MB regions): at 1 M characters each small input's buffer was
     * a humongous allocation straight into the old generation, and 500 small files set off 40 concurrent marking
     * cycles that took most of a core.
     */
    private static final int FLUSH_CHARS = 1 << 17;

    private static final long SUMMARIZE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DataSource dataSource;
    private final JsonFactory jsonFactory = new JsonFactory();
    /** Per staging table, when an input staged with its load last summarised it ({@link #summarizeWhenDue}). */
    private final Map<String, Long> lastSummarized = new ConcurrentHashMap<>();

    public StagingWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Told what became of the staged rows, chunk by chunk. */
    public interface Chunks {

        /** Rows up to this row number are committed. */
        void committed(long upToRow);

        /**
         * The whole input fitted in its first chunk, copied and not committed yet: returns true to take over its
         * transaction (the load then runs in it, one commit for the input), false to have it committed now.
         */
        boolean takeOver(OpenStaging staging);
    }

    /**
     * Stages the rows on a connection of its own, committing every {@value #CHUNK_ROWS} rows; an input that fits
     * in one chunk may instead be left uncommitted to whoever {@link Chunks#takeOver takes it over}.
     *
     * @param replaceEarlier whether an earlier attempt at this batch may have staged rows (a redelivery), which
     *     are deleted first; a new batch has none, and the delete would cost a statement per input
     * @return how many rows were written
     */
    public long write(
            UUID batchId, String stagingTable, boolean replaceEarlier, Iterator<StagedRow> rows, Chunks chunks)
            throws SQLException, IOException {
        String table = SqlIdentifiers.quote(stagingTable);
        Connection connection = dataSource.getConnection();
        boolean handedOver = false;
        try {
            connection.setAutoCommit(false);
            try {
                if (replaceEarlier) {
                    // in the first chunk's transaction: no commit of its own
                    try (var delete = connection.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
                        delete.setObject(1, batchId);
                        delete.executeUpdate();
                    }
                }
                String brin = brinIndex(connection, stagingTable);
                String batch = batchId.toString();
                // grows to FLUSH_CHARS and a row on a large input; a small input's rows fit in far less
                StringBuilder buffer = new StringBuilder(8 * 1024);
                StringWriter errors = new StringWriter(256);
                long written = 0;
                if (!rows.hasNext()) {
                    connection.commit(); // no chunk: the delete, if any, commits alone
                }
                while (rows.hasNext()) {
                    Chunk chunk = copyChunk(connection, table, batch, rows, buffer, errors);
                    if (written == 0 && !rows.hasNext()) {
                        OpenStaging open = new OpenStaging(this, connection, stagingTable, brin, chunk.lastRow());
                        if (chunks.takeOver(open)) {
                            handedOver = true;
                            return chunk.rows();
                        }
                    }
                    connection.commit();
                    if (brin != null && !summarize(connection, stagingTable, brin)) {
                        brin = null;
                    }
                    written += chunk.rows();
                    chunks.committed(chunk.lastRow());
                }
                return written;
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } finally {
            if (!handedOver) {
                connection.close();
            }
        }
    }

    /**
     * Summarises a staging table's new block ranges after an input staged in one transaction with its load, at
     * most once per {@link #SUMMARIZE_EVERY_NANOS} per table: every input of a few rows would otherwise pay a
     * statement and a commit for it, while the ranges they fill are read whole by the next loads only until then.
     */
    void summarizeWhenDue(Connection connection, String stagingTable, String brin) throws SQLException {
        if (brin == null) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastSummarized.get(stagingTable);
        // whoever swaps the time in summarises: two workers ending together do not both do it
        boolean due = last == null
                ? lastSummarized.putIfAbsent(stagingTable, now) == null
                : now - last >= SUMMARIZE_EVERY_NANOS && lastSummarized.replace(stagingTable, last, now);
        if (due) {
            summarize(connection, stagingTable, brin);
        }
    }

    private record Chunk(long rows, long lastRow) {}

    /** One COPY of up to {@value #CHUNK_ROWS} rows. */
    private Chunk copyChunk(
            Connection connection,
            String table,
            String batch,
            Iterator<StagedRow> rows,
            StringBuilder buffer,
            StringWriter errors)
            throws SQLException, IOException {
        CopyIn copy = connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (batch_id, row_number, raw, data, errors, valid) FROM STDIN");
        long n = 0;
        long last = 0;
        try {
            while (n < CHUNK_ROWS && rows.hasNext()) {
                StagedRow row = rows.next();
                buffer.append(batch).append('\t').append(row.row()).append('\t');
                appendArray(buffer, row.raw());
                buffer.append('\t');
                appendArray(buffer, row.data());
                buffer.append('\t');
                if (row.valid()) {
                    buffer.append("\\N\tt\n");
                } else {
                    appendCopyText(buffer, errorsJson(errors, row.errors()));
                    buffer.append("\tf\n");
                }
                n++;
                last = row.row();
                if (buffer.length() >= FLUSH_CHARS) {
                    flush(copy, buffer);
                }
            }
            flush(copy, buffer);
            copy.endCopy();
        } finally {
            buffer.setLength(0);
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        return new Chunk(n, last);
    }

    /**
     * The staging table's BRIN index, if it has one (a table a user made without it works, more slowly). An index
     * found is remembered per table (a statement less per file); one that has gone since is looked up again.
     */
    private String brinIndex(Connection connection, String stagingTable) throws SQLException {
        String known = brinIndexes.get(stagingTable);
        if (known != null) {
            return known;
        }
        String found = lookUpBrinIndex(connection, stagingTable);
        if (found != null) {
            brinIndexes.put(stagingTable, found);
        }
        return found;
    }

    private final Map<String, String> brinIndexes = new ConcurrentHashMap<>();

    private static String lookUpBrinIndex(Connection connection, String stagingTable) throws SQLException {
        try (var query = connection.prepareStatement(
                """
                SELECT i.indexrelid::regclass::text FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                WHERE i.indrelid = ?::regclass AND a.amname = 'brin' LIMIT 1""")) {
            query.setString(1, SqlIdentifiers.quote(stagingTable));
            try (var rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Summarises the block ranges just written, so that the load finds this chunk's rows without reading the
     * earlier ones (an unsummarised range matches every query). A short transaction of its own: its lock must
     * not be held while the batch goes on.
     */
    private boolean summarize(Connection connection, String stagingTable, String brin) throws SQLException {
        try (var summarize = connection.prepareStatement("SELECT brin_summarize_new_values(?::regclass)")) {
            summarize.setString(1, brin);
            summarize.execute();
            connection.commit();
            return true;
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                // the remembered index has gone (dropped, renamed): this batch goes on without, the next looks again
                connection.rollback();
                brinIndexes.remove(stagingTable);
                return false;
            }
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            // only the table's owner may summarise (an external database whose tables a DBA owns): the load
            // still finds its rows, reading the unsummarised ranges too
            connection.rollback();
            log.warn("cannot summarise {} (not the table's owner): loads of large inputs read more", brin);
            return false;
        }
    }

    private static void flush(CopyIn copy, StringBuilder chunk) throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    /**
     * An array literal ({@code {"a","b",NULL}}) written straight into COPY's text format: every element
     * double-quoted with {@code "} and {@code \} backslash-escaped for the array, then tab, newline, carriage
     * return and backslash escaped again for COPY.
     */
    static void appendArray(StringBuilder out, Object[] values) {
        out.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = values[i];
            if (v == null) {
                out.append("NULL");
                continue;
            }
            if (v instanceof Instant instant && appendInstant(out, instant)) {
                continue;
            }
            String s = v instanceof BigDecimal b ? b.toPlainString() : v.toString(); // dates: ISO 8601
            out.append('"');
            if (isPlain(s)) {
                out.append(s); // most values: copied in one go
            } else {
                appendEscaped(out, s);
            }
            out.append('"');
        }
        out.append('}');
    }

    /**
     * An instant as {@link Instant#toString()} writes it ({@code "2024-01-31T10:00:00Z"}, with 3, 6 or 9
     * fraction digits when it has a fraction), for the years 0 to 9999. Written by hand because
     * {@code Instant.toString} goes through a DateTimeFormatter per value: 6 % of the ingest thread's CPU on
     * the bench. Any other year: false, and the caller writes {@code toString()}.
     */
    static boolean appendInstant(StringBuilder out, Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return false;
        }
        out.append('"');
        digits(out, t.getYear(), 4).append('-');
        digits(out, t.getMonthValue(), 2).append('-');
        digits(out, t.getDayOfMonth(), 2).append('T');
        digits(out, t.getHour(), 2).append(':');
        digits(out, t.getMinute(), 2).append(':');
        digits(out, t.getSecond(), 2);
        int nano = instant.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                digits(out, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(out, nano / 1_000, 6);
            } else {
                digits(out, nano, 9);
            }
        }
        out.append("Z\"");
        return true;
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int divisor = POWERS_OF_TEN[width - 1]; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
        return out;
    }

    private static boolean isPlain(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\\' || c < ' ') {
                return false;
            }
        }
        return true;
    }

    private static void appendEscaped(StringBuilder out, String s) {
        {
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"' -> out.append("\\\\\""); // array: \"  then COPY doubles the backslash
                    case '\\' -> out.append("\\\\\\\\"); // array: \\  then COPY doubles both
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\0' -> out.append('\uFFFD'); // text refuses NUL; a file with stray NUL bytes must stage
                    default -> out.append(c);
                }
            }
        }
    }

    /** COPY's text format: JSON never holds raw tabs or newlines, so only backslashes need doubling. */
    private static void appendCopyText(StringBuilder out, String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(c);
            }
        }
    }

    private String errorsJson(StringWriter buffer, List<RecordError> errors) throws IOException {
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = jsonFactory.createGenerator(buffer)) {
            g.writeStartArray();
            for (RecordError e : errors) {
                g.writeStartObject();
                g.writeNumberField("row", e.row());
                g.writeStringField("column", e.column());
                g.writeStringField("value", clean(e.value()));
                g.writeStringField("rule", e.rule());
                g.writeStringField("message", clean(e.message()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return buffer.toString();
    }

    /** jsonb refuses the NUL character. */
    private static String clean(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
