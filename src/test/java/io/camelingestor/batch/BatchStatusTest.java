package io.camelingestor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The enum is the database's list: the check constraint on {@code ingest_batch.status} names the same values. */
class BatchStatusTest {

    @Test
    void theEnumNamesTheValuesTheDatabaseAllows() throws IOException {
        String v1 = Files.readString(Path.of("src/main/resources/db/migration/V1__metadata_tables.sql"));
        Matcher check = Pattern.compile("status\\s+text\\s+NOT NULL CHECK \\(status IN \\(([^)]*)\\)\\)")
                .matcher(v1);
        assertThat(check.find()).as("the status check constraint in V1").isTrue();
        List<String> allowed = Arrays.stream(check.group(1).split(","))
                .map(v -> v.trim().replace("'", ""))
                .toList();
        assertThat(BatchStatus.names()).containsExactlyElementsOf(allowed);
    }

    @Test
    void theEndsThatDidNotLoad() {
        assertThat(Arrays.stream(BatchStatus.values()).filter(BatchStatus::deadLettered))
                .containsExactly(BatchStatus.REJECTED, BatchStatus.FAILED);
    }
}
