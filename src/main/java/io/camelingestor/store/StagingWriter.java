package io.camelingestor.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.camelingestor.transform.RecordError;
import io.camelingestor.transform.StagedRow;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Streams staged rows into a dataset's staging table with PostgreSQL {@code COPY ... FROM STDIN} (PgJDBC's
 * CopyManager), in chunks, so that memory does not grow with the input. Runs in the caller's transaction:
 * the batch's earlier staging rows (from an attempt that failed) are replaced, never doubled.
 */
@Component
public class StagingWriter {

    private static final int FLUSH_CHARS = 1 << 20;

    private final DataSource dataSource;
    private final JsonFactory jsonFactory = new JsonFactory();

    public StagingWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param header the input's column names, keys of each row's {@code raw} JSON
     * @param columns the dataset's load columns, keys of each row's {@code data} JSON
     * @return how many rows were written
     */
    public long write(
            UUID batchId, String stagingTable, List<String> header, List<String> columns, Iterator<StagedRow> rows)
            throws SQLException, IOException {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        String table = SqlIdentifiers.quote(stagingTable);
        try (var delete = connection.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
            delete.setObject(1, batchId);
            delete.executeUpdate();
        }
        CopyIn copy = connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (batch_id, row_number, raw, data, errors, valid) FROM STDIN");
        String batch = batchId.toString();
        StringBuilder chunk = new StringBuilder(FLUSH_CHARS + 64 * 1024);
        StringWriter buffer = new StringWriter(256);
        long written = 0;
        try {
            while (rows.hasNext()) {
                StagedRow row = rows.next();
                chunk.append(batch).append('\t').append(row.row()).append('\t');
                appendCopyText(chunk, rawJson(buffer, header, row.raw()));
                chunk.append('\t');
                appendCopyText(chunk, dataJson(buffer, columns, row.data()));
                chunk.append('\t');
                if (row.valid()) {
                    chunk.append("\\N");
                } else {
                    appendCopyText(chunk, errorsJson(buffer, row.errors()));
                }
                chunk.append('\t').append(row.valid() ? 't' : 'f').append('\n');
                written++;
                if (chunk.length() >= FLUSH_CHARS) {
                    flush(copy, chunk);
                }
            }
            flush(copy, chunk);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        return written;
    }

    private static void flush(CopyIn copy, StringBuilder chunk) throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
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

    private String rawJson(StringWriter buffer, List<String> header, String[] values) throws IOException {
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = jsonFactory.createGenerator(buffer)) {
            g.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                String name = i < header.size() ? header.get(i) : "column_" + (i + 1);
                g.writeStringField(clean(name), clean(values[i]));
            }
            g.writeEndObject();
        }
        return buffer.toString();
    }

    private String dataJson(StringWriter buffer, List<String> columns, Object[] data) throws IOException {
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = jsonFactory.createGenerator(buffer)) {
            g.writeStartObject();
            for (int i = 0; i < data.length; i++) {
                g.writeFieldName(columns.get(i));
                Object v = data[i];
                if (v == null) {
                    g.writeNull();
                } else if (v instanceof Long l) {
                    g.writeNumber(l);
                } else if (v instanceof Double d) {
                    g.writeNumber(d);
                } else if (v instanceof BigDecimal b) {
                    g.writeNumber(b);
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    g.writeString(clean(v.toString())); // String, LocalDate and Instant in ISO 8601
                }
            }
            g.writeEndObject();
        }
        return buffer.toString();
    }

    private String errorsJson(StringWriter buffer, List<RecordError> errors) throws IOException {
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = jsonFactory.createGenerator(buffer)) {
            g.writeStartArray();
            for (RecordError e : errors) {
                g.writeStartObject();
                g.writeNumberField("row", e.row());
                g.writeStringField("column", e.column());
                g.writeStringField("value", e.value());
                g.writeStringField("rule", e.rule());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return buffer.toString();
    }

    /** jsonb refuses the NUL character; a file with stray NUL bytes must still stage. */
    private static String clean(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
