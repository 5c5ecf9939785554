package io.camelingestor.core;

import java.util.Objects;

/**
 * One failed rule of one record, as stored in staging and shown in reports.
 *
 * @param row the row as a spreadsheet shows it (the header is row 1)
 * @param column the source column (as written in the file header), or the target column when no source
 *     column applies
 * @param value the offending value, as read (may be null)
 * @param rule {@code required}, {@code type}, {@code min}, {@code max}, ...
 * @param message what was expected and what was found
 */
public record RecordError(long row, String column, String value, String rule, String message) {
    public RecordError {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        // stored as jsonb (staging, quality samples), which refuses the NUL character a corrupt file may hold
        column = withoutNul(column);
        value = withoutNul(value);
        message = withoutNul(message);
    }

    private static String withoutNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
