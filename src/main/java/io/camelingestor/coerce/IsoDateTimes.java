package io.camelingestor.coerce;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;

/**
 * The ISO 8601 shapes nearly every timestamp in real inputs has ({@code 2024-01-31}, {@code 2024-01-31T10:00},
 * {@code 2024-01-31 10:00:05.250+02:00}, {@code ...Z}) read by position. Written by hand because java.time reads
 * each value twice (once to rule a format out without an exception, once to resolve it) and copies its field
 * map at every optional section: the bench's profile had {@link TemporalParser} at 60 % of the ingest thread's
 * CPU on a 1,000,000-row file. Only the fixed shapes below are read here; any other text is handed back to
 * the java.time formatter, so what a value means never depends on this shortcut
 * ({@code IsoDateTimesTest} compares both on every shape, valid and not).
 */
final class IsoDateTimes {

    /** The text is not one of the shapes read here: ask the java.time formatter. */
    static final TemporalAccessor NOT_HANDLED = LocalDate.MIN;

    private IsoDateTimes() {}

    /**
     * @param text stripped, not empty
     * @return the date, local date-time or offset date-time; null when the text has the shape but is no real
     *     date or time (2024-02-30, 24:00, +19:00), which is what the formatter says too; {@link #NOT_HANDLED}
     *     for any other text
     */
    static TemporalAccessor parse(String text) {
        int n = text.length();
        if (n < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return NOT_HANDLED;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if (year < 0 || month < 0 || day < 0) {
            return NOT_HANDLED;
        }
        if (n == 10) {
            try {
                return LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                return null;
            }
        }
        char separator = text.charAt(10);
        if ((separator != 'T' && separator != 't' && separator != ' ') || n < 16 || text.charAt(13) != ':') {
            return NOT_HANDLED;
        }
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        if (hour < 0 || minute < 0) {
            return NOT_HANDLED;
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (i < n && text.charAt(i) == ':') {
            second = digits(text, i + 1, 2);
            if (second < 0) {
                return NOT_HANDLED;
            }
            i += 3;
            if (i < n && text.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && isDigit(text.charAt(i))) {
                    nano = nano * 10 + (text.charAt(i++) - '0');
                }
                if (i == start || (i < n && isDigit(text.charAt(i)))) {
                    return NOT_HANDLED;
                }
                for (int k = i - start; k < 9; k++) {
                    nano *= 10;
                }
            }
        }
        ZoneOffset offset = null;
        if (i < n) {
            char sign = text.charAt(i);
            if ((sign == 'Z' || sign == 'z') && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((sign == '+' || sign == '-') && i + 6 == n && text.charAt(i + 3) == ':') {
                int hours = digits(text, i + 1, 2);
                int minutes = digits(text, i + 4, 2);
                if (hours < 0 || minutes < 0) {
                    return NOT_HANDLED;
                }
                if (hours > 23 || minutes > 59) {
                    return null;
                }
                try {
                    offset = ZoneOffset.ofTotalSeconds((sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60));
                } catch (DateTimeException e) {
                    return null;
                }
            } else {
                return NOT_HANDLED;
            }
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nano);
            return offset == null ? local : OffsetDateTime.of(local, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
