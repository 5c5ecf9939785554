package io.camelingestor.transform;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Reads numbers as people write them in files: {@code 1234.56}, {@code 1.234,56}, {@code 1,234.56},
 * {@code 1234,56}, {@code -0,5}, {@code 1e3}, with surrounding spaces. Written by hand because neither
 * {@link java.text.NumberFormat} nor Commons accept both decimal conventions in one pass.
 */
public final class NumberParser {

    /** Which character separates decimals: decided by the mapping ({@code source.decimal}) or per value. */
    public enum DecimalMark {
        AUTO,
        DOT,
        COMMA
    }

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final DecimalMark mark;

    public NumberParser(DecimalMark mark) {
        this.mark = mark;
    }

    /** @return the number in plain Java notation ({@code -1234.56}, {@code 1e3}) or null for an empty value */
    public String normalize(String raw) throws CoercionException {
        String text = raw.strip().replace("\u00a0", "").replace(" ", "");
        if (text.isEmpty()) {
            return null;
        }
        int lastDot = text.lastIndexOf('.');
        int lastComma = text.lastIndexOf(',');
        char decimal =
                switch (mark) {
                    case DOT -> '.';
                    case COMMA -> ',';
                    case AUTO -> autoDecimal(text, lastDot, lastComma);
                };
        char grouping = decimal == '.' ? ',' : '.';
        StringBuilder out = new StringBuilder(text.length());
        boolean seenDecimal = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == grouping) {
                if (seenDecimal) {
                    throw notANumber(raw);
                }
                continue;
            }
            if (c == decimal) {
                if (seenDecimal) {
                    throw notANumber(raw);
                }
                seenDecimal = true;
                out.append('.');
            } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E') {
                out.append(c);
            } else {
                throw notANumber(raw);
            }
        }
        String normalized = out.toString();
        if (!NUMBER.matcher(normalized).matches()) {
            throw notANumber(raw);
        }
        return normalized;
    }

    public Double parseDouble(String raw) throws CoercionException {
        String n = normalize(raw);
        return n == null ? null : Double.valueOf(n);
    }

    public BigDecimal parseDecimal(String raw) throws CoercionException {
        String n = normalize(raw);
        return n == null ? null : new BigDecimal(n);
    }

    public Long parseLong(String raw) throws CoercionException {
        BigDecimal d = parseDecimal(raw);
        if (d == null) {
            return null;
        }
        try {
            return d.stripTrailingZeros().longValueExact(); // 12.0 is 12; 12.5 is not an integer
        } catch (ArithmeticException e) {
            throw new CoercionException("expected a whole number, found '" + raw + "'");
        }
    }

    /** With both marks the last one is the decimal; a lone comma is decimal (European files) unless it groups thousands twice. */
    private static char autoDecimal(String text, int lastDot, int lastComma) {
        if (lastDot >= 0 && lastComma >= 0) {
            return lastDot > lastComma ? '.' : ',';
        }
        if (lastComma >= 0) {
            return text.indexOf(',') == lastComma ? ',' : '.';
        }
        if (lastDot >= 0 && text.indexOf('.') != lastDot) {
            return ','; // 1.234.567: dots group thousands
        }
        return '.';
    }

    private static CoercionException notANumber(String raw) {
        return new CoercionException("expected a number, found '" + raw + "'");
    }
}
