package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.IngestorIntegrationTest;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 1: files of several folders dropped at once are ingested side by side by the
 * {@code ingestor.workers} (2 here) workers, each exactly once, and each ends exactly as it does when it is
 * ingested alone: loaded, partly loaded or rejected, with the same counts.
 */
class FilesAreIngestedInParallelTest extends IngestorIntegrationTest {

    /** What a file of each kind is: dataset, expected end. */
    private enum Kind {
        HOURLY_VALID("energy_hourly"),
        HOURLY_SOME_INVALID("energy_hourly"),
        DAILY_VALID("energy_daily"),
        DAILY_ALL_INVALID("energy_daily");

        final String dataset;

        Kind(String dataset) {
            this.dataset = dataset;
        }
    }

    private record Dropped(Kind kind, String dataset, String fileName, String device) {}

    private static final int PER_KIND_AT_ONCE = 10;

    @Test
    void manyFilesAtOnceEndAsEachDoesAlone() throws Exception {
        // one at a time: the reference outcome of each kind
        List<Dropped> alone = new ArrayList<>();
        int year = 1900;
        for (Kind kind : Kind.values()) {
            Dropped d = drop(kind, year++);
            awaitBatch(d.dataset(), d.fileName());
            alone.add(d);
        }
        // all at once, in four folders' worth of two datasets
        List<Dropped> atOnce = new ArrayList<>();
        for (int i = 0; i < PER_KIND_AT_ONCE; i++) {
            for (Kind kind : Kind.values()) {
                atOnce.add(drop(kind, year++));
            }
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> atOnce.stream()
                        .allMatch(d ->
                                !Files.exists(properties.inbound(d.dataset()).resolve(d.fileName()))
                                        && batches(d.dataset(), d.fileName()).stream()
                                                .noneMatch(b -> "RUNNING".equals(b.get("status")))));

        for (Dropped d : alone) {
            batches(d.dataset(), d.fileName()).forEach(this::cleanUp);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Dropped d : atOnce) {
            List<Map<String, Object>> batches = batches(d.dataset(), d.fileName());
            batches.forEach(this::cleanUp);
            assertThat(batches).as("one batch for %s", d.fileName()).hasSize(1);
            Map<String, Object> batch = batches.get(0);
            all.add(batch);
            Map<String, Object> reference =
                    batches(d.kind().dataset, fileOf(alone, d.kind())).get(0);
            assertThat(outcome(batch))
                    .as("%s ends as its kind does alone", d.fileName())
                    .isEqualTo(outcome(reference));
            long rows = jdbc.queryForObject(
                    "SELECT count(*) FROM "
                            + ("energy_hourly".equals(d.dataset()) ? "fact_energy_hourly" : "fact_energy_daily")
                            + " WHERE device_id = ?",
                    Long.class,
                    d.device());
            assertThat(rows)
                    .as("rows of %s loaded once", d.fileName())
                    .isEqualTo(((Number) batch.get("rows_loaded")).longValue());
        }
        assertThat(all).extracting(b -> b.get("status")).containsOnly("LOADED", "PARTIAL", "REJECTED");
        assertThat(overlapping(all))
                .as("some inputs were ingested at the same time")
                .isTrue();
    }

    private static List<Object> outcome(Map<String, Object> batch) {
        return List.of(
                batch.get("status"),
                String.valueOf(batch.get("rows_total")),
                String.valueOf(batch.get("rows_valid")),
                String.valueOf(batch.get("rows_invalid")),
                String.valueOf(batch.get("rows_loaded")));
    }

    private static String fileOf(List<Dropped> dropped, Kind kind) {
        return dropped.stream()
                .filter(d -> d.kind() == kind)
                .findFirst()
                .orElseThrow()
                .fileName();
    }

    private static boolean overlapping(List<Map<String, Object>> batches) {
        for (Map<String, Object> a : batches) {
            for (Map<String, Object> b : batches) {
                if (a != b
                        && ((Timestamp) a.get("started_at")).before((Timestamp) b.get("finished_at"))
                        && ((Timestamp) b.get("started_at")).before((Timestamp) a.get("finished_at"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A file of the kind with rows of its own year, so that no two files have the same content. */
    private Dropped drop(Kind kind, int year) throws Exception {
        String device = newDeviceId();
        StringBuilder csv = new StringBuilder();
        switch (kind) {
            case HOURLY_VALID, HOURLY_SOME_INVALID -> {
                csv.append("Date and Time,Hourly\n");
                LocalDateTime ts = LocalDateTime.of(year, 1, 1, 0, 0);
                for (int h = 0; h < 48; h++) {
                    boolean invalid = kind == Kind.HOURLY_SOME_INVALID && h % 8 == 0;
                    csv.append(ts.plusHours(h))
                            .append(invalid ? ",-5" : ",1.25")
                            .append('\n');
                }
            }
            case DAILY_VALID, DAILY_ALL_INVALID -> {
                csv.append("Date and Time,Daily\n");
                LocalDate day = LocalDate.of(year, 1, 1);
                for (int d = 0; d < 31; d++) {
                    csv.append(day.plusDays(d))
                            .append(kind == Kind.DAILY_ALL_INVALID ? ",not a number" : ",42.5")
                            .append('\n');
                }
            }
        }
        String suffix = kind.dataset.equals("energy_hourly") ? "-hourly.csv" : "-daily.csv";
        String name = device + suffix;
        drop(kind.dataset, name, csv.toString());
        return new Dropped(kind, kind.dataset, name, device);
    }
}
