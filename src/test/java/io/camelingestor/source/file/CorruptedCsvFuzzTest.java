package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Thousands of randomly corrupted variants of a valid CSV (truncated, random bytes, other delimiters, huge
 * fields, broken quotes, merged and shuffled lines) go through the real pipeline routes. Every one must end
 * LOADED, PARTIAL or REJECTED (never FAILED or stuck RUNNING), a rejection must have a dead letter and a
 * report, no valid row of a loaded input may be missing from the table, and the service must still load a
 * good file afterwards.
 *
 * <p>The variants are sent to {@code direct:ingest} the way the file source sends them (same envelope, same
 * file headers) rather than through the inbound folder, whose read lock costs a second per file.
 */
class CorruptedCsvFuzzTest extends IngestorIntegrationTest {

    private static final int VARIANTS = 2000;

    enum Corruption {
        TRUNCATE,
        RANDOM_BYTES,
        OTHER_DELIMITER,
        HUGE_FIELD,
        BROKEN_QUOTE,
        MERGED_LINES,
        SHUFFLED_LINES,
        NO_HEADER,
        MIXED
    }

    @Autowired
    ProducerTemplate producer;

    @Autowired
    FileEnvelopes envelopes;

    @Test
    void everyCorruptedInputEndsWithAnOutcomeAndNoValidRowIsLost() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261123L);
        Random random = new Random(seed);
        Path dir = properties.dataDir().resolve("fuzz");
        Files.createDirectories(dir);
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        Map<Corruption, Integer> kinds = new EnumMap<>(Corruption.class);
        List<String> problems = new ArrayList<>();

        for (int i = 0; i < VARIANTS; i++) {
            Corruption kind = Corruption.values()[random.nextInt(Corruption.values().length)];
            kinds.merge(kind, 1, Integer::sum);
            String device = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            Path file = dir.resolve(device + "-fuzz-" + i + ".csv");
            Files.write(file, corrupt(valid(i), kind, random));

            Envelope envelope = envelopes.fromFile(file.toString(), "energy_hourly", "fuzz");
            Exchange result = producer.send("direct:ingest", exchange -> {
                exchange.setProperty(ExchangeProperties.ENVELOPE, envelope);
                exchange.getIn().setHeader(Exchange.FILE_PATH, file.toString());
                exchange.getIn().setHeader("CamelFileAbsolutePath", file.toString());
                exchange.getIn()
                        .setHeader(Exchange.FILE_NAME_ONLY, file.getFileName().toString());
            });
            Map<String, Object> batch =
                    jdbc.queryForMap("SELECT * FROM ingest_batch WHERE input_id = ?", envelope.inputId());
            cleanUp(batch);
            String status = (String) batch.get("status");
            outcomes.merge(status, 1, Integer::sum);
            String where = "variant " + i + " (" + kind + ", seed " + seed + "): ";
            if (result.getException() != null) {
                problems.add(where + "exchange failed: " + result.getException());
            }
            switch (status) {
                case "LOADED", "PARTIAL" -> {
                    long missing = jdbc.queryForObject(
                            """
                            SELECT count(*)
                            FROM staging_energy_hourly s
                            JOIN ingest_batch b ON b.id = s.batch_id
                            CROSS JOIN LATERAL staging_object(b.metadata->'detected'->'columns', s.data) d
                            WHERE s.batch_id = ? AND s.valid AND NOT EXISTS (
                                SELECT 1 FROM fact_energy_hourly f
                                WHERE f.device_id = d->>'device_id' AND f.ts = (d->>'ts')::timestamptz)
                            """,
                            Long.class,
                            batch.get("id"));
                    if (missing > 0) {
                        problems.add(where + missing + " valid rows not loaded");
                    }
                    if ((long) batch.get("rows_valid") + (long) batch.get("rows_invalid")
                            != (long) batch.get("rows_total")) {
                        problems.add(where + "counts do not add up: " + batch);
                    }
                }
                case "REJECTED" -> {
                    if (jdbc.queryForObject(
                                    "SELECT count(*) FROM dead_letter WHERE batch_id = ?", Long.class, batch.get("id"))
                            != 1) {
                        problems.add(where + "REJECTED without a dead letter");
                    }
                    if (!Files.exists(rejected("energy_hourly", file.getFileName() + ".error.json"))) {
                        problems.add(where + "REJECTED without a report");
                    }
                }
                default -> problems.add(where + "ended " + status + ": " + batch.get("error"));
            }
            Files.delete(file);
            removeRowsOfThisTest();
        }

        System.out.printf(
                "fuzz: %d variants (seed %d), corruptions %s, outcomes %s%n", VARIANTS, seed, kinds, outcomes);
        assertThat(problems).isEmpty();
        assertThat(outcomes.keySet()).contains("LOADED", "PARTIAL", "REJECTED");

        // and the service still ingests a good file through its folder
        String device = newDeviceId();
        String name = device + "-after-fuzz.csv";
        drop("energy_hourly", name, new String(valid(VARIANTS), StandardCharsets.UTF_8));
        Map<String, Object> after = awaitBatch("energy_hourly", name);
        cleanUp(after);
        assertThat(after).containsEntry("status", "LOADED").containsEntry("rows_loaded", 20L);
    }

    /** 20 valid rows; each variant its own hours, so that no two variants share content. */
    private static byte[] valid(int variant) {
        StringBuilder csv = new StringBuilder("Date and Time,Hourly\n");
        LocalDateTime start = LocalDateTime.of(2000, 1, 1, 0, 0).plusHours(variant * 24L);
        for (int h = 0; h < 20; h++) {
            csv.append(start.plusHours(h)).append(',').append(1 + h * 0.25).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] corrupt(byte[] csv, Corruption kind, Random random) {
        String text = new String(csv, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        return switch (kind) {
            case TRUNCATE -> java.util.Arrays.copyOf(csv, random.nextInt(csv.length));
            case RANDOM_BYTES -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte b : csv) {
                    if (random.nextInt(40) == 0) {
                        byte[] junk = new byte[1 + random.nextInt(4)];
                        random.nextBytes(junk);
                        out.writeBytes(junk);
                    }
                    out.write(b);
                }
                yield out.toByteArray();
            }
            case OTHER_DELIMITER -> {
                String delimiter = random.nextBoolean() ? ";" : "\t";
                for (int i = 0; i < lines.size(); i++) {
                    if (random.nextInt(3) == 0) {
                        lines.set(i, lines.get(i).replace(",", delimiter));
                    }
                }
                yield String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case HUGE_FIELD -> {
                int line = 1 + random.nextInt(lines.size() - 1);
                lines.set(line, lines.get(line) + "x".repeat(50_000 + random.nextInt(500_000)));
                yield String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case BROKEN_QUOTE -> {
                int line = random.nextInt(lines.size());
                String l = lines.get(line);
                int at = random.nextInt(l.length() + 1);
                lines.set(line, l.substring(0, at) + '"' + l.substring(at));
                yield String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case MERGED_LINES -> {
                StringBuilder out = new StringBuilder();
                for (String l : lines) {
                    out.append(l).append(random.nextInt(4) == 0 ? "" : "\n");
                }
                yield out.toString().getBytes(StandardCharsets.UTF_8);
            }
            case SHUFFLED_LINES -> {
                java.util.Collections.shuffle(lines, random);
                yield String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case NO_HEADER -> String.join("\n", lines.subList(1, lines.size())).getBytes(StandardCharsets.UTF_8);
            case MIXED -> {
                byte[] once = corrupt(csv, Corruption.values()[random.nextInt(Corruption.values().length - 1)], random);
                yield corrupt(once, Corruption.values()[random.nextInt(Corruption.values().length - 1)], random);
            }
        };
    }
}
