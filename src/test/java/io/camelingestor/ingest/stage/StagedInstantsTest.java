package io.camelingestor.ingest.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Instants go to staging exactly as {@link Instant#toString()} writes them, which the load casts back. */
class StagedInstantsTest {

    @Test
    void writtenAsInstantToStringWrites() {
        Random random = new Random(27);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        int[] nanoSteps = {0, 1_000_000, 1_000, 1};
        for (int i = 0; i < 100_000; i++) {
            int step = nanoSteps[i % nanoSteps.length];
            int nano = step == 0 ? 0 : random.nextInt(1_000_000_000 / step) * step;
            Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), nano);
            StringBuilder out = new StringBuilder();
            assertThat(StagingWriter.appendInstant(out, instant)).isTrue();
            assertThat(out).as(instant.toString()).hasToString('"' + instant.toString() + '"');
        }
    }

    @Test
    void yearsBeyondFourDigitsAreLeftToToString() {
        StringBuilder out = new StringBuilder();
        assertThat(StagingWriter.appendInstant(out, Instant.parse("+10000-01-01T00:00:00Z")))
                .isFalse();
        assertThat(StagingWriter.appendInstant(out, Instant.parse("-0001-01-01T00:00:00Z")))
                .isFalse();
        assertThat(out).isEmpty();
    }
}
