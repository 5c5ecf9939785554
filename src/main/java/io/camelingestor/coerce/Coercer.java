package io.camelingestor.coerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Turns the text of one cell into the value its column's coercion asks for. One instance per mapping, built
 * when the mapping is loaded, so nothing is compiled per record.
 */
public final class Coercer {

    private final NumberParser numbers;
    private final TemporalParser temporals;

    public Coercer(NumberParser.DecimalMark decimalMark, List<String> datetimeFormats, ZoneId zone) {
        this(new NumberParser(decimalMark), new TemporalParser(datetimeFormats, zone));
    }

    private Coercer(NumberParser numbers, TemporalParser temporals) {
        this.numbers = numbers;
        this.temporals = temporals;
    }

    /** The same coercer, reading ambiguous numbers as one input writes its decimals (its own parser). */
    public Coercer forInput(DecimalMarkDetector.Decision decision) {
        return new Coercer(
                new NumberParser(NumberParser.DecimalMark.AUTO, decision.ambiguousAs(), decision.conflict()),
                temporals);
    }

    /**
     * @return a {@link String}, {@link Long}, {@link Double}, {@link BigDecimal}, {@link Boolean},
     *     {@link java.time.LocalDate} or {@link java.time.Instant}; null for an empty cell
     */
    public Object coerce(Coercion type, String raw) throws CoercionException {
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case STRING -> raw.isBlank() ? null : raw.strip();
            case INT -> numbers.parseLong(raw);
            case FLOAT -> finite(numbers.parseDouble(raw), raw);
            case DECIMAL -> numbers.parseDecimal(raw);
            case BOOL -> bool(raw);
            case DATE -> temporals.parseDate(raw);
            case DATETIME, TIMESTAMP -> temporals.parseInstant(raw);
            case DATETIME_MS -> epochMillis(raw);
        };
    }

    private static Double finite(Double value, String raw) throws CoercionException {
        if (value != null && !Double.isFinite(value)) {
            throw new CoercionException("number out of range: '" + raw.strip() + "'");
        }
        return value;
    }

    private Instant epochMillis(String raw) throws CoercionException {
        Long millis = numbers.parseLong(raw);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Boolean bool(String raw) throws CoercionException {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "true", "yes", "y", "1", "on" -> Boolean.TRUE;
            case "false", "no", "n", "0", "off" -> Boolean.FALSE;
            default ->
                throw new CoercionException("expected true/false/yes/no/1/0/on/off, found '" + raw.strip() + "'");
        };
    }
}
