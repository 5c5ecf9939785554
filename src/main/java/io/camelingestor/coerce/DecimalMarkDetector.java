package io.camelingestor.coerce;

import io.camelingestor.coerce.NumberParser.DecimalMark;
import io.camelingestor.core.RawRecord;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, for one input and {@code decimal: auto}, which character is its decimal mark, from the numbers of
 * its first rows: {@code 12,5} or {@code 1.234,5} say comma, {@code 12.5} or {@code 1,234.5} say dot, and
 * {@code 1,234} says nothing. So {@code 1,234} is read the same way as the rest of the file instead of being
 * guessed cell by cell. Unambiguous numbers are read as written either way (the original ingestor took
 * {@code 12,5} and {@code 27.5} in one file); only when the numbers say both is an ambiguous one an error,
 * naming one number of each way.
 */
public final class DecimalMarkDetector {

    /** How many rows are looked at; later rows that disagree become record errors. */
    public static final int ROWS = 1000;

    private DecimalMarkDetector() {}

    /**
     * @param ambiguousAs how {@code 1,234} reads in this input, or null when its numbers write decimals both ways
     * @param conflict then, one number of each way, for messages
     */
    public record Decision(DecimalMark ambiguousAs, String conflict) {}

    /**
     * @param numericColumns header index to column name, of the columns coerced as numbers
     * @return AUTO when no number decides: an ambiguous number then reads as written (its mark is the decimal)
     */
    public static Decision decide(Iterator<RawRecord> records, Map<Integer, String> numericColumns) {
        Map<DecimalMark, String> witness = new LinkedHashMap<>();
        for (int n = 0; n < ROWS && records.hasNext() && witness.size() < 2; n++) {
            RawRecord record = records.next();
            for (var column : numericColumns.entrySet()) {
                String value = record.value(column.getKey());
                DecimalMark says = value == null ? DecimalMark.AUTO : says(value.strip());
                if (says != DecimalMark.AUTO) {
                    witness.putIfAbsent(
                            says,
                            "row " + record.row() + " column '" + column.getValue() + "' '" + value.strip() + "'");
                }
            }
        }
        if (witness.size() == 2) {
            return new Decision(
                    null,
                    witness.get(DecimalMark.COMMA) + " has a decimal comma, " + witness.get(DecimalMark.DOT)
                            + " a decimal dot");
        }
        return new Decision(
                witness.isEmpty()
                        ? DecimalMark.AUTO
                        : witness.keySet().iterator().next(),
                null);
    }

    /** What one number says about the decimal mark; AUTO when it says nothing. */
    static DecimalMark says(String value) {
        int dots = count(value, '.');
        int commas = count(value, ',');
        if (dots > 0 && commas > 0) {
            return value.lastIndexOf('.') > value.lastIndexOf(',') ? DecimalMark.DOT : DecimalMark.COMMA;
        }
        if (commas == 1 && dots == 0) {
            return digitsAfter(value, value.indexOf(',')) == 3 ? DecimalMark.AUTO : DecimalMark.COMMA;
        }
        if (dots == 1 && commas == 0) {
            return digitsAfter(value, value.indexOf('.')) == 3 ? DecimalMark.AUTO : DecimalMark.DOT;
        }
        if (commas > 1) {
            return DecimalMark.DOT; // 1,234,567: commas group thousands
        }
        if (dots > 1) {
            return DecimalMark.COMMA;
        }
        return DecimalMark.AUTO;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static int digitsAfter(String s, int at) {
        int n = 0;
        for (int i = at + 1; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            n++;
        }
        return at + 1 + n == s.length() ? n : -1;
    }
}
