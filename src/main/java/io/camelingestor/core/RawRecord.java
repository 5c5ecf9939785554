package io.camelingestor.core;

/**
 * One data row as read, before any coercion.
 *
 * @param row the row as a spreadsheet shows it: the header is row 1, blank lines count, a quoted value
 *     spanning lines is one row (for JSON: the record's position, the first record being row 2)
 * @param values cell texts, aligned with the stream's header (shorter or longer when the row is ragged)
 */
public record RawRecord(long row, String[] values) {

    public String value(int column) {
        return column < values.length ? values[column] : null;
    }
}
