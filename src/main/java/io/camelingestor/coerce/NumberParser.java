package io.camelingestor.coerce;

import java.math.BigDecimal;

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

    private final DecimalMark mark;
    private final DecimalMark ambiguousAs;
    private final String conflict;

    public NumberParser(DecimalMark mark) {
        this(mark, DecimalMark.AUTO, null);
    }

    /**
     * @param mark the mapping's mark, or AUTO to read each value as written
     * @param ambiguousAs with AUTO, how {@code 1,234} and {@code 1.234} are read: as the rest of the input writes
     *     its decimals (see {@link DecimalMarkDetector}), AUTO for "the mark is the decimal" when nothing
     *     decides, null when the input writes decimals both ways
     * @param conflict with {@code ambiguousAs} null, the evidence of both ways, for the error message
     */
    public NumberParser(DecimalMark mark, DecimalMark ambiguousAs, String conflict) {
        this.mark = mark;
        this.ambiguousAs = ambiguousAs;
        this.conflict = conflict;
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
                    case AUTO -> autoDecimal(text, lastDot, lastComma, raw);
                };
        char grouping = decimal == '.' ? ',' : '.';
        StringBuilder out = new StringBuilder(text.length());
        boolean seenDecimal = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == grouping) {
                if (seenDecimal || !groupsThousands(text, i, grouping, decimal)) {
                    throw mark == DecimalMark.AUTO
                            ? notANumber(raw)
                            : new CoercionException("expected a number with '" + decimal
                                    + "' as decimal mark, as in the rest of this input, found '" + raw.strip() + "'");
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
        if (!isJavaNumber(normalized)) {
            throw notANumber(raw);
        }
        return normalized;
    }

    /**
     * {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, checked without a regex matcher: this runs for every
     * number of every input, and a matcher per value showed in the profile.
     */
    static boolean isJavaNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits == 0 && fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A grouping mark stands between a digit and exactly three digits: {@code 1,234.5} yes, {@code 2,5} no. */
    private static boolean groupsThousands(String text, int at, char grouping, char decimal) {
        if (at == 0 || !Character.isDigit(text.charAt(at - 1)) || at + 3 >= text.length() + 1) {
            return false;
        }
        for (int k = at + 1; k <= at + 3; k++) {
            if (!Character.isDigit(text.charAt(k))) {
                return false;
            }
        }
        int after = at + 4;
        return after == text.length() || text.charAt(after) == grouping || text.charAt(after) == decimal;
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
    /**
     * With both marks the last one is the decimal; several of one mark group thousands; a lone mark is the
     * decimal unless exactly three digits follow it ({@code 1,234}), which reads as the rest of the input.
     */
    private char autoDecimal(String text, int lastDot, int lastComma, String raw) throws CoercionException {
        if (lastDot >= 0 && lastComma >= 0) {
            return lastDot > lastComma ? '.' : ',';
        }
        int last = Math.max(lastDot, lastComma);
        if (last < 0) {
            return '.';
        }
        char found = text.charAt(last);
        if (text.indexOf(found) != last) {
            return found == ',' ? '.' : ','; // 1,234,567 or 1.234.567: the mark groups thousands
        }
        if (!threeDigitsEnd(text, last)) {
            return found;
        }
        if (ambiguousAs == null) {
            throw new CoercionException("'" + raw.strip() + "' is ambiguous and this input writes decimals both ways ("
                    + conflict + "); set source.decimal in the mapping");
        }
        return switch (ambiguousAs) {
            case DOT -> '.';
            case COMMA -> ',';
            case AUTO -> found; // nothing else to go by: as written, as the original ingestor read it
        };
    }

    private static boolean threeDigitsEnd(String text, int at) {
        int end = at + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == text.length() && end - at - 1 == 3;
    }

    private static CoercionException notANumber(String raw) {
        return new CoercionException("expected a number, found '" + raw + "'");
    }
}
