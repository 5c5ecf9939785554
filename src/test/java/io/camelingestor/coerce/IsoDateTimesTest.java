package io.camelingestor.coerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ISO shortcut must mean exactly what the java.time formatter means: for every text, the same date, time
 * and offset, or "no date" for both. Compared on hand-picked edge cases and on 200,000 generated texts of the
 * shapes the shortcut reads, with digits in and out of range.
 */
class IsoDateTimesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "2024-01-31",
                "2024-02-29",
                "2023-02-29",
                "2024-02-30",
                "2024-13-01",
                "2024-00-10",
                "0000-01-01",
                "2024-01-31T10:00",
                "2024-01-31t10:00",
                "2024-01-31 10:00",
                "2024-01-31T24:00",
                "2024-01-31T23:60",
                "2024-01-31T10:00:59",
                "2024-01-31T10:00:60",
                "2024-01-31T10:00:05.1",
                "2024-01-31T10:00:05.123456789",
                "2024-01-31T10:00:05.1234567891",
                "2024-01-31T10:00:05.",
                "2024-01-31T10:00Z",
                "2024-01-31T10:00:00z",
                "2024-01-31T10:00:00+02:00",
                "2024-01-31T10:00:00-00:00",
                "2024-01-31T10:00:00+18:00",
                "2024-01-31T10:00:00+18:01",
                "2024-01-31T10:00:00+19:00",
                "2024-01-31T10:00:00+24:00",
                "2024-01-31T10:00:00+02:60",
                "2024-01-31T10:00:00+0200",
                "2024-01-31T10:00:00+02",
                "2024-01-31T10:00:00+02:00:00",
                "2024-01-31T10:00:00ZZ",
                "2024-01-31T10",
                "2024-01-31T",
                "2024-01-31T 10:00",
                "2024-01-3110:00",
                "2024-01-31X10:00",
                "+2024-01-31",
                "20240-01-31",
                "2024-1-31",
                "2024/01/31",
                "2024-01-31T10:00:00.5+01:00",
                "2024-01-31 10:00:00.000Z",
                "2024-01-31T10:0",
                "2024-01-31T1:00"
            })
    void sameAsJavaTime(String text) {
        assertThat(meaning(TemporalParser.tryIso(text)))
                .isEqualTo(meaning(TemporalParser.tryParse(TemporalParser.ISO, text)));
    }

    @Test
    void sameAsJavaTimeOnGeneratedTexts() {
        Random random = new Random(20261127);
        int handled = 0;
        int dates = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = generated(random);
            TemporalAccessor fast = IsoDateTimes.parse(text);
            if (fast != IsoDateTimes.NOT_HANDLED) {
                handled++;
                if (fast != null) {
                    dates++;
                }
            }
            assertThat(meaning(TemporalParser.tryIso(text)))
                    .as(text)
                    .isEqualTo(meaning(TemporalParser.tryParse(TemporalParser.ISO, text)));
        }
        // the comparison means something only if the shortcut read most texts, valid and invalid
        assertThat(handled).isGreaterThan(100_000);
        assertThat(dates).isGreaterThan(20_000);
        assertThat(handled - dates).isGreaterThan(20_000);
    }

    @Test
    void aCommonTimestampIsReadByTheShortcut() {
        assertThat(IsoDateTimes.parse("2000-01-01T00:00:00Z"))
                .isNotSameAs(IsoDateTimes.NOT_HANDLED)
                .isNotNull();
        assertThat(IsoDateTimes.parse("31/01/2024 10:00")).isSameAs(IsoDateTimes.NOT_HANDLED);
    }

    private static String generated(Random random) {
        StringBuilder text = new StringBuilder();
        text.append(number(random, 4, 10_000))
                .append('-')
                .append(number(random, 2, 14))
                .append('-')
                .append(number(random, 2, 33));
        if (random.nextInt(6) == 0) {
            return text.toString();
        }
        text.append(pick(random, "T", "T", "t", " ", "X"));
        text.append(number(random, 2, 26)).append(':').append(number(random, 2, 62));
        if (random.nextInt(3) > 0) {
            text.append(':').append(number(random, 2, 62));
            if (random.nextBoolean()) {
                text.append('.');
                int digits = random.nextInt(11);
                for (int d = 0; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
        }
        switch (random.nextInt(6)) {
            case 0, 1 -> {}
            case 2 -> text.append(pick(random, "Z", "z", "ZZ", "+", "+02", "+0200", "+02:00:00"));
            default ->
                text.append(pick(random, "+", "-"))
                        .append(number(random, 2, 26))
                        .append(':')
                        .append(number(random, 2, 62));
        }
        return text.toString();
    }

    private static String number(Random random, int width, int bound) {
        return String.format("%0" + width + "d", random.nextInt(bound));
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** Date, time (or none) and offset (or none) of what was read; empty for "no date". */
    private static List<Object> meaning(TemporalAccessor parsed) {
        List<Object> meaning = new ArrayList<>();
        if (parsed != null) {
            meaning.add(LocalDate.from(parsed));
            meaning.add(parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : "no time");
            meaning.add(
                    parsed.isSupported(ChronoField.OFFSET_SECONDS)
                            ? parsed.get(ChronoField.OFFSET_SECONDS)
                            : "no offset");
        }
        return meaning;
    }
}
