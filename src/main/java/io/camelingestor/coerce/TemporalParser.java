package io.camelingestor.coerce;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads dates and timestamps in the formats a mapping lists first, then ISO 8601 (with or without offset,
 * {@code T} or space), {@code dd/MM/yyyy[ HH:mm[:ss]]}, {@code MM/dd/yyyy hh:mm[:ss] a} and {@code yyyy-MM-dd}.
 * A timestamp without offset is read in the mapping's time zone; a local time that a DST change skips or
 * repeats is an error rather than a guess. Formatters are built once per mapping and tried in order.
 */
public final class TemporalParser {

    private static final LocalDateTime EXCEL_EPOCH = LocalDateTime.of(1899, 12, 30, 0, 0);

    /** ISO 8601 with or without offset, {@code T} or space: tried right after the mapping's own formats. */
    static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffsetId()
            .optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private final List<DateTimeFormatter> formats;
    private final ZoneId zone;

    public TemporalParser(List<String> mappingFormats, ZoneId zone) {
        List<DateTimeFormatter> all = new ArrayList<>();
        for (String pattern : mappingFormats) {
            all.add(formatter(pattern));
        }
        all.add(ISO);
        all.add(formatter("dd/MM/uuuu[ HH:mm[:ss]]"));
        all.add(formatter("MM/dd/uuuu hh:mm[:ss] a"));
        all.add(formatter("dd.MM.uuuu[ HH:mm[:ss]]"));
        this.formats = List.copyOf(all);
        this.zone = zone;
    }

    /** Accepts {@code yyyy} as well as {@code uuuu} in mapping formats, as the original ingestor's users write them. */
    public static DateTimeFormatter formatter(String pattern) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(pattern.replace("yyyy", "uuuu"))
                .toFormatter(Locale.US)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    public LocalDate parseDate(String raw) throws CoercionException {
        TemporalAccessor parsed = parse(raw);
        return parsed == null ? null : LocalDate.from(parsed);
    }

    /** @return the instant, or null for an empty value */
    public Instant parseInstant(String raw) throws CoercionException {
        TemporalAccessor parsed = parse(raw);
        if (parsed == null) {
            return null;
        }
        if (parsed instanceof OffsetDateTime withOffset) {
            return withOffset.toInstant();
        }
        LocalDateTime local = parsed instanceof LocalDateTime read ? read : localDateTime(parsed);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return local.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)));
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.get(0));
        }
        throw new CoercionException(
                offsets.isEmpty()
                        ? "local time '" + raw.strip() + "' does not exist in " + zone + " (skipped by a DST change)"
                        : "local time '" + raw.strip() + "' is ambiguous in " + zone + " (repeated by a DST change)");
    }

    /** What a formatter read, as a local date-time: a date alone is its midnight. */
    private static LocalDateTime localDateTime(TemporalAccessor parsed) {
        LocalDate date = LocalDate.from(parsed);
        return parsed.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.of(date, java.time.LocalTime.from(parsed))
                : date.atStartOfDay();
    }

    private TemporalAccessor parse(String raw) throws CoercionException {
        String text = raw.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (isExcelSerial(text)) {
            return excelSerial(text);
        }
        // always in order, never "the format that matched last first": a value that fits two formats
        // (01/02/2024 10:30 AM) must mean the same whatever the values before it
        for (DateTimeFormatter format : formats) {
            TemporalAccessor parsed = format == ISO ? tryIso(text) : tryParse(format, text);
            if (parsed != null) {
                return parsed;
            }
        }
        throw new CoercionException("expected a date/time (ISO 8601, dd/MM/yyyy HH:mm, MM/dd/yyyy hh:mm a"
                + " or a format the mapping lists), found '" + text + "'");
    }

    /**
     * Days since 1899-12-30 as Excel stores dates (10000 to 99999: the years 1927 to 2173), with a time
     * fraction: {@code [1-9]\d{4}(\.\d+)?}, checked without a regex matcher as it runs for every value.
     */
    static boolean isExcelSerial(String text) {
        int n = text.length();
        if (n < 5 || text.charAt(0) < '1' || text.charAt(0) > '9') {
            return false;
        }
        for (int i = 1; i < 5; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        if (n == 5) {
            return true;
        }
        if (text.charAt(5) != '.' || n == 6) {
            return false;
        }
        for (int i = 6; i < n; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** An Excel serial date (a number in a cell not formatted as a date), to the second. */
    private static TemporalAccessor excelSerial(String text) {
        java.math.BigDecimal serial = new java.math.BigDecimal(text);
        long days = serial.longValue();
        long seconds = serial.subtract(java.math.BigDecimal.valueOf(days))
                .multiply(java.math.BigDecimal.valueOf(86_400))
                .setScale(0, java.math.RoundingMode.HALF_UP)
                .longValue();
        return EXCEL_EPOCH.plusDays(days).plusSeconds(seconds);
    }

    /** ISO 8601: its common shapes read by position ({@link IsoDateTimes}), any other through java.time. */
    static TemporalAccessor tryIso(String text) {
        TemporalAccessor parsed = IsoDateTimes.parse(text);
        return parsed == IsoDateTimes.NOT_HANDLED ? tryParse(ISO, text) : parsed;
    }

    /**
     * The first format in order that reads the whole text decides what it means. Formats that do not fit are
     * ruled out by {@code parseUnresolved}, which reports through the position instead of throwing, so a
     * consistent file costs no exception per value.
     */
    static TemporalAccessor tryParse(DateTimeFormatter format, String text) {
        try {
            ParsePosition position = new ParsePosition(0);
            if (format.parseUnresolved(text, position) == null
                    || position.getErrorIndex() >= 0
                    || position.getIndex() != text.length()) {
                return null;
            }
            TemporalAccessor parsed = format.parse(text);
            return parsed.isSupported(ChronoField.EPOCH_DAY) ? parsed : null;
        } catch (DateTimeException e) {
            // fits the pattern but is no real date (31/02/2024); or an offset out of range (+24:00), which
            // java.time reports by throwing from parseUnresolved itself
            return null;
        }
    }
}
