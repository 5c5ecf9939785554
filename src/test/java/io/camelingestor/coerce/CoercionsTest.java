package io.camelingestor.coerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelingestor.coerce.NumberParser.DecimalMark;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the text of a cell becomes a typed value. The cases come from the files the original Python ingestor
 * read (European decimals, US AM/PM timestamps, Tago's ISO instants, FusionSolar's epoch milliseconds), so a
 * change here changes what lands in the database.
 */
class CoercionsTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId ATHENS = ZoneId.of("Europe/Athens");

    private static Coercer coercer() {
        return new Coercer(DecimalMark.AUTO, List.of(), UTC);
    }

    private static Object coerce(Coercion type, String raw) throws CoercionException {
        return coercer().coerce(type, raw);
    }

    @ParameterizedTest(name = "{0}: a missing cell is null")
    @EnumSource(Coercion.class)
    void aMissingCellIsNullForEveryType(Coercion type) throws CoercionException {
        assertThat(coerce(type, null)).isNull();
    }

    @ParameterizedTest(name = "{0}: an empty cell is null")
    @EnumSource(Coercion.class)
    void anEmptyCellIsNullForEveryType(Coercion type) throws CoercionException {
        assertThat(coerce(type, "")).isNull();
        assertThat(coerce(type, "   ")).isNull();
    }

    @Nested
    class Numbers {

        @ParameterizedTest(name = "''{0}'' is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "1234.56     | 1234.56",
                    "1.234,56    | 1234.56",
                    "1,234.56    | 1234.56",
                    "1234,56     | 1234.56",
                    "-0,5        | -0.5",
                    "+7          | 7",
                    "1e3         | 1000",
                    "1.5E-2      | 0.015",
                    "' 42 '      | 42",
                    "'1 234,56'  | 1234.56",
                    "'1\u00a0234,56' | 1234.56",
                    "1,234,567   | 1234567",
                    "1.234.567   | 1234567",
                    "1.234.567,8 | 1234567.8",
                    // the original ingestor replaced every ',' by '.', so a lone comma is a decimal comma
                    "123,45      | 123.45",
                    "28,5        | 28.5",
                    "1,234       | 1.234",
                    "1.234       | 1.234",
                    ".5          | 0.5",
                    "0           | 0",
                })
        void autoDecimalMarkReadsBothConventions(String raw, String expected) throws CoercionException {
            assertThat(coerce(Coercion.FLOAT, raw)).isEqualTo(Double.valueOf(expected));
            assertThat((BigDecimal) coerce(Coercion.DECIMAL, raw)).isEqualByComparingTo(expected);
        }

        @ParameterizedTest(name = "''{0}'' is not a number")
        @ValueSource(strings = {"abc", "1.2.3,4,5", "12a", "1,234.5,6", "-", ".", "1e", "--1", "1-2", "0x1F", "12 %"})
        void textThatIsNotANumberIsRefusedNamingTheValue(String raw) {
            for (Coercion type : List.of(Coercion.FLOAT, Coercion.DECIMAL, Coercion.INT)) {
                assertThatThrownBy(() -> coerce(type, raw))
                        .as(type.name())
                        .isInstanceOf(CoercionException.class)
                        .hasMessageContaining("'" + raw + "'");
            }
            assertThatThrownBy(() -> coerce(Coercion.FLOAT, raw)).hasMessage("expected a number, found '" + raw + "'");
        }

        @ParameterizedTest(name = "decimal ''{0}'': ''{1}'' is {2}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "DOT   | 1,234     | 1234",
                    "COMMA | 1,234     | 1.234",
                    "AUTO  | 1,234     | 1.234",
                    "DOT   | 1.234     | 1.234",
                    "COMMA | 1.234     | 1234",
                    "DOT   | 1,234.5   | 1234.5",
                    "COMMA | 1.234,5   | 1234.5",
                    "DOT   | 1,234,567 | 1234567",
                    "COMMA | 1.234.567 | 1234567",
                })
        void theMappingsDecimalMarkDecidesAmbiguousValues(DecimalMark mark, String raw, String expected)
                throws CoercionException {
            Coercer coercer = new Coercer(mark, List.of(), UTC);
            assertThat(coercer.coerce(Coercion.FLOAT, raw)).isEqualTo(Double.valueOf(expected));
        }

        @ParameterizedTest(name = "decimal {0}: ''{1}'' is refused")
        @CsvSource(
                delimiter = '|',
                value = {
                    // a grouping mark after the decimal mark
                    "DOT   | 1.234,5",
                    "COMMA | 1,234.5",
                    "DOT   | 1.2.3",
                    "COMMA | 1,2,3",
                })
        void aFixedDecimalMarkRefusesTheOtherConvention(DecimalMark mark, String raw) {
            Coercer coercer = new Coercer(mark, List.of(), UTC);
            assertThatThrownBy(() -> coercer.coerce(Coercion.FLOAT, raw))
                    .isInstanceOf(CoercionException.class)
                    .hasMessageContaining("'" + raw + "'");
        }
    }

    @Nested
    class Integers {

        @ParameterizedTest(name = "''{0}'' is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "12      | 12",
                    // the original's parse_int_from_float: "150.0" is 150
                    "12.0    | 12",
                    "150.0   | 150",
                    "150,0   | 150",
                    "-7      | -7",
                    "' 3 '   | 3",
                    "1e3     | 1000",
                    "1.000.000 | 1000000",
                    "9223372036854775807 | 9223372036854775807",
                })
        void wholeNumbersAreLongs(String raw, long expected) throws CoercionException {
            assertThat(coerce(Coercion.INT, raw)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "''{0}'' is not a whole number")
        @ValueSource(strings = {"12.5", "0,5", "1e-1", "9223372036854775808"})
        void fractionsAndOverflowsAreRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.INT, raw))
                    .isInstanceOf(CoercionException.class)
                    .hasMessage("expected a whole number, found '" + raw + "'");
        }
    }

    @Nested
    class Floats {

        @ParameterizedTest(name = "''{0}'' is refused")
        @ValueSource(strings = {"1e400", "-1e400", "NaN", "nan", "Infinity", "-Infinity", "inf"})
        void valuesThatAreNotFiniteAreRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.FLOAT, raw)).isInstanceOf(CoercionException.class);
        }

        @Test
        void anOverflowSaysItIsOutOfRange() {
            assertThatThrownBy(() -> coerce(Coercion.FLOAT, "1e400"))
                    .isInstanceOf(CoercionException.class)
                    .hasMessage("number out of range: '1e400'");
        }

        @Test
        void aFloatIsADouble() throws CoercionException {
            assertThat(coerce(Coercion.FLOAT, "0.1")).isInstanceOf(Double.class).isEqualTo(0.1d);
        }
    }

    @Nested
    class Decimals {

        @ParameterizedTest(name = "''{0}'' is exactly {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "0.1        | 0.1",
                    "0,1        | 0.1",
                    "1.234,50   | 1234.50",
                    "-0.000001  | -0.000001",
                    "12345678901234567890.123456789 | 12345678901234567890.123456789",
                })
        void decimalsKeepEveryDigit(String raw, String expected) throws CoercionException {
            // equals, not compareTo: the scale as written is kept too
            assertThat(coerce(Coercion.DECIMAL, raw)).isEqualTo(new BigDecimal(expected));
        }
    }

    @Nested
    class Booleans {

        @ParameterizedTest(name = "''{0}'' is {1}")
        @CsvSource({
            "true, true",
            "TRUE, true",
            "True, true",
            "yes, true",
            "YES, true",
            "1, true",
            "on, true",
            "On, true",
            "y, true",
            "' yes ', true",
            "false, false",
            "FALSE, false",
            "no, false",
            "No, false",
            "0, false",
            "off, false",
            "OFF, false",
            "n, false",
        })
        void commonSpellingsAreRead(String raw, boolean expected) throws CoercionException {
            assertThat(coerce(Coercion.BOOL, raw)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "''{0}'' is refused")
        @ValueSource(strings = {"maybe", "2", "t", "nope", "1.0"})
        void anythingElseIsRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.BOOL, raw))
                    .isInstanceOf(CoercionException.class)
                    .hasMessage("expected true/false/yes/no/1/0/on/off, found '" + raw + "'");
        }
    }

    @Nested
    class Dates {

        @ParameterizedTest(name = "''{0}'' is 2024-12-25")
        @ValueSource(
                strings = {
                    "2024-12-25",
                    "25/12/2024",
                    "25.12.2024",
                    " 2024-12-25 ",
                    // a daily file whose column holds timestamps: the date part is kept, as the original did
                    "2024-12-25T10:30:00",
                    "2024-12-25 23:59:59",
                    "2024-12-25T10:30:00+02:00",
                    "12/25/2024 10:30:00 AM",
                    "25/12/2024 10:30",
                })
        void datesAreReadInTheUsualFormats(String raw) throws CoercionException {
            assertThat(coerce(Coercion.DATE, raw)).isEqualTo(LocalDate.of(2024, 12, 25));
        }

        @ParameterizedTest(name = "''{0}'' is refused")
        @ValueSource(strings = {"not-a-date", "invalid-date", "2024-02-30", "31/04/2024", "2024-13-01", "20241225"})
        void impossibleOrUnknownDatesAreRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.DATE, raw))
                    .isInstanceOf(CoercionException.class)
                    .hasMessageContaining("'" + raw + "'");
        }

        @Test
        void aLeapDayIsADate() throws CoercionException {
            assertThat(coerce(Coercion.DATE, "29/02/2024")).isEqualTo(LocalDate.of(2024, 2, 29));
        }
    }

    @Nested
    class Timestamps {

        @ParameterizedTest(name = "''{0}'' in UTC is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "2024-12-25T10:30:00        | 2024-12-25T10:30:00Z",
                    "2024-12-25 10:30:00        | 2024-12-25T10:30:00Z",
                    "2024-12-25T10:30           | 2024-12-25T10:30:00Z",
                    "2024-12-25T10:30:00.250    | 2024-12-25T10:30:00.250Z",
                    "2024-12-25T10:30:00+02:00  | 2024-12-25T08:30:00Z",
                    "2024-12-25T10:30:00-05:00  | 2024-12-25T15:30:00Z",
                    "2024-12-25T10:30:00Z       | 2024-12-25T10:30:00Z",
                    // Tago.io
                    "2025-12-08T23:00:00.000Z   | 2025-12-08T23:00:00Z",
                    // the original's '%m/%d/%Y %I:%M:%S %p'
                    "12/25/2024 10:30:00 AM     | 2024-12-25T10:30:00Z",
                    "12/25/2024 10:30:00 PM     | 2024-12-25T22:30:00Z",
                    "12/25/2024 10:30:00 pm     | 2024-12-25T22:30:00Z",
                    "12/25/2024 12:00:00 AM     | 2024-12-25T00:00:00Z",
                    "12/25/2024 12:00:00 PM     | 2024-12-25T12:00:00Z",
                    "12/25/2024 01:05 PM        | 2024-12-25T13:05:00Z",
                    "25/12/2024 10:30           | 2024-12-25T10:30:00Z",
                    "25/12/2024 10:30:15        | 2024-12-25T10:30:15Z",
                    "25.12.2024 10:30           | 2024-12-25T10:30:00Z",
                    // a date alone is midnight
                    "2024-12-25                 | 2024-12-25T00:00:00Z",
                    "25/12/2024                 | 2024-12-25T00:00:00Z",
                })
        void timestampsAreReadInTheUsualFormats(String raw, Instant expected) throws CoercionException {
            assertThat(coerce(Coercion.DATETIME, raw)).isEqualTo(expected);
            assertThat(coerce(Coercion.TIMESTAMP, raw)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "''{0}'' is refused")
        @ValueSource(
                strings = {
                    "not-a-date",
                    "2024-12-25T25:00:00",
                    "13/25/2024 10:30:00 AM",
                    "12/25/2024 13:30:00 PM",
                    "12/25/2024 10:30:00",
                    "2024-12-25T10:30:00 UTC",
                    // java.time throws for this offset while ruling the format in or out: still a row error
                    "2024-12-25T10:30:00+24:00",
                    "2024-02-30T10:30:00Z",
                })
        void unknownOrImpossibleTimestampsAreRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.DATETIME, raw))
                    .isInstanceOf(CoercionException.class)
                    .hasMessageContaining("expected a date/time")
                    .hasMessageContaining("'" + raw + "'");
        }

        @Test
        void aFormatTheMappingListsIsRead() throws CoercionException {
            Coercer coercer = new Coercer(DecimalMark.AUTO, List.of("yyyyMMdd HHmm"), UTC);
            assertThat(coercer.coerce(Coercion.DATETIME, "20241225 1030"))
                    .isEqualTo(Instant.parse("2024-12-25T10:30:00Z"));
            // the built-in formats still apply
            assertThat(coercer.coerce(Coercion.DATETIME, "2024-12-25T10:30:00"))
                    .isEqualTo(Instant.parse("2024-12-25T10:30:00Z"));
        }

        @Test
        void aFormatTheMappingListsWinsOverABuiltInOneThatAlsoMatches() throws CoercionException {
            // 01/02/2024 is 1 February as dd/MM/yyyy (built in) but 2 January as the mapping's MM/dd/yyyy
            Coercer coercer = new Coercer(DecimalMark.AUTO, List.of("MM/dd/yyyy HH:mm"), UTC);
            assertThat(coercer.coerce(Coercion.DATETIME, "01/02/2024 10:30"))
                    .isEqualTo(Instant.parse("2024-01-02T10:30:00Z"));
        }

        @Test
        void aValueMeansTheSameWhateverTheValuesBeforeIt() throws CoercionException {
            // 25/12/2024 cannot be MM/dd, so only the built-in dd/MM/yyyy reads it; the next ambiguous value
            // must still be read with the mapping's format, or its meaning would depend on the previous row
            Coercer coercer = new Coercer(DecimalMark.AUTO, List.of("MM/dd/yyyy HH:mm"), UTC);
            assertThat(coercer.coerce(Coercion.DATETIME, "25/12/2024 10:30"))
                    .isEqualTo(Instant.parse("2024-12-25T10:30:00Z"));
            assertThat(coercer.coerce(Coercion.DATETIME, "01/02/2024 10:30"))
                    .isEqualTo(Instant.parse("2024-01-02T10:30:00Z"));
        }

        @ParameterizedTest(name = "''{0}'' in Europe/Athens is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    // summer time, UTC+3
                    "2024-07-01T12:00:00       | 2024-07-01T09:00:00Z",
                    // winter time, UTC+2
                    "2024-12-25 10:30:00       | 2024-12-25T08:30:00Z",
                    "12/25/2024 10:30:00 AM    | 2024-12-25T08:30:00Z",
                    "2024-12-25                | 2024-12-24T22:00:00Z",
                    // an explicit offset wins over the mapping's zone
                    "2024-07-01T12:00:00Z      | 2024-07-01T12:00:00Z",
                    "2024-07-01T12:00:00+01:00 | 2024-07-01T11:00:00Z",
                    // just outside the DST changes
                    "2025-03-30T02:59:59       | 2025-03-30T00:59:59Z",
                    "2025-03-30T04:00:00       | 2025-03-30T01:00:00Z",
                    "2025-10-26T02:59:59       | 2025-10-25T23:59:59Z",
                    "2025-10-26T04:00:00       | 2025-10-26T02:00:00Z",
                })
        void aTimestampWithoutOffsetIsReadInTheMappingsZone(String raw, Instant expected) throws CoercionException {
            Coercer athens = new Coercer(DecimalMark.AUTO, List.of(), ATHENS);
            assertThat(athens.coerce(Coercion.DATETIME, raw)).isEqualTo(expected);
        }

        @Test
        void aLocalTimeSkippedBySpringDstIsRefused() {
            Coercer athens = new Coercer(DecimalMark.AUTO, List.of(), ATHENS);
            assertThatThrownBy(() -> athens.coerce(Coercion.DATETIME, "2025-03-30T03:30:00"))
                    .isInstanceOf(CoercionException.class)
                    .hasMessage("local time '2025-03-30T03:30:00' does not exist in Europe/Athens"
                            + " (skipped by a DST change)");
        }

        @Test
        void aLocalTimeRepeatedByAutumnDstIsRefusedRatherThanGuessed() {
            Coercer athens = new Coercer(DecimalMark.AUTO, List.of(), ATHENS);
            assertThatThrownBy(() -> athens.coerce(Coercion.DATETIME, "2025-10-26T03:30:00"))
                    .isInstanceOf(CoercionException.class)
                    .hasMessage("local time '2025-10-26T03:30:00' is ambiguous in Europe/Athens"
                            + " (repeated by a DST change)");
        }

        @Test
        void anOffsetMakesADstAmbiguousTimeExact() throws CoercionException {
            Coercer athens = new Coercer(DecimalMark.AUTO, List.of(), ATHENS);
            assertThat(athens.coerce(Coercion.DATETIME, "2025-10-26T03:30:00+03:00"))
                    .isEqualTo(Instant.parse("2025-10-26T00:30:00Z"));
            assertThat(athens.coerce(Coercion.DATETIME, "2025-10-26T03:30:00+02:00"))
                    .isEqualTo(Instant.parse("2025-10-26T01:30:00Z"));
        }
    }

    @Nested
    class EpochMilliseconds {

        @ParameterizedTest(name = "''{0}'' is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "1735120800000   | 1735120800000",
                    "' 1735120800000 ' | 1735120800000",
                    "1735120800000.0 | 1735120800000",
                    "0               | 0",
                    "-1000           | -1000",
                })
        void millisecondsSinceTheEpochAreInstants(String raw, long millis) throws CoercionException {
            assertThat(coerce(Coercion.DATETIME_MS, raw)).isEqualTo(Instant.ofEpochMilli(millis));
        }

        @Test
        void fusionSolarsMillisecondsAreTheInstantTheyName() throws CoercionException {
            assertThat(coerce(Coercion.DATETIME_MS, "1735120800000")).isEqualTo(Instant.parse("2024-12-25T10:00:00Z"));
        }

        @ParameterizedTest(name = "''{0}'' is refused")
        @ValueSource(strings = {"1735120800000.5", "2024-12-25T10:00:00Z", "abc"})
        void anythingButWholeMillisecondsIsRefused(String raw) {
            assertThatThrownBy(() -> coerce(Coercion.DATETIME_MS, raw)).isInstanceOf(CoercionException.class);
        }
    }

    @Nested
    class Strings {

        @ParameterizedTest(name = "''{0}'' is ''{1}''")
        @CsvSource(
                delimiter = '|',
                value = {
                    "'  x  '      | x",
                    "'\tx y\t'    | x y",
                    "abc          | abc",
                    "' 12,5 '     | 12,5",
                })
        void textIsStrippedAndOtherwiseKept(String raw, String expected) throws CoercionException {
            assertThat(coerce(Coercion.STRING, raw)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "''{0}'' is null")
        @ValueSource(strings = {"", "   ", "\t", " \t "})
        void blankTextIsNull(String raw) throws CoercionException {
            assertThat(coerce(Coercion.STRING, raw)).isNull();
        }
    }

    @Nested
    class CoercionNames {

        @ParameterizedTest(name = "''{0}'' is {1}")
        @CsvSource({
            "string, STRING",
            "str, STRING",
            "text, STRING",
            "int, INT",
            "integer, INT",
            "INT, INT",
            "float, FLOAT",
            "double, FLOAT",
            "number, FLOAT",
            "decimal, DECIMAL",
            "numeric, DECIMAL",
            "bool, BOOL",
            "boolean, BOOL",
            "date, DATE",
            "datetime, DATETIME",
            "timestamp, TIMESTAMP",
            "datetime_ms, DATETIME_MS",
            "epoch_ms, DATETIME_MS",
            "' Float ', FLOAT",
        })
        void aMappingMayNameACoercionByItsUsualNames(String name, Coercion expected) {
            assertThat(Coercion.byName(name)).contains(expected);
        }

        @ParameterizedTest(name = "''{0}'' is unknown")
        @ValueSource(strings = {"floaty", "", "long", "datetime-ms"})
        void otherNamesAreUnknown(String name) {
            assertThat(Coercion.byName(name)).isEmpty();
        }

        @Test
        void theKnownNamesAreListedForErrorMessages() {
            assertThat(Coercion.names()).isEqualTo("string|int|float|decimal|bool|date|datetime|timestamp|datetime_ms");
        }
    }
}
