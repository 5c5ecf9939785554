package io.camelingestor.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The times HTTP sources send and receive: request parameters, and the records' time for the cursor. */
final class Timestamps {

    private Timestamps() {}

    /**
     * A record's time: epoch milliseconds (or seconds, below 10^11), an ISO instant or offset date-time, a
     * local date-time or date (in {@code zone}); null when it is none of these (the mapping then reports it).
     */
    static Instant parse(JsonNode value, ZoneId zone) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            long n = value.asLong();
            return n < 100_000_000_000L ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
        }
        String text = value.asText().trim();
        if (text.matches("\\d{10,13}")) {
            long n = Long.parseLong(text);
            return n < 100_000_000_000L ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    /** {@code null}: ISO instant; {@code epochMillis}, {@code epochSeconds}; else a pattern in {@code zone}. */
    static String format(Instant instant, String format, ZoneId zone) {
        if (format == null || format.equals("iso")) {
            return instant.toString();
        }
        return switch (format) {
            case "epochMillis" -> String.valueOf(instant.toEpochMilli());
            case "epochSeconds" -> String.valueOf(instant.getEpochSecond());
            default -> DateTimeFormatter.ofPattern(format).withZone(zone).format(instant);
        };
    }
}
