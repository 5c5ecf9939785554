package io.camelingestor.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.camelingestor.coerce.Coercion;
import io.camelingestor.coerce.NumberParser.DecimalMark;
import io.camelingestor.dataset.Mapping.Constraint;
import io.camelingestor.dataset.Mapping.Strategy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mapping files as users write them: the original Python ingestor's files must load unchanged, and a mistake
 * must be reported with the file, the line and the key, so it can be fixed without reading code.
 */
class MappingLoaderTest {

    private static final Path SHIPPED_MAPPINGS = Path.of("mappings");

    @TempDir
    Path dir;

    private final MappingLoader loader = new MappingLoader();

    /** The original ingestor's files, byte for byte (comments, blank lines with spaces, primary_key). */
    private Path original(String name) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        try (InputStream in = getClass().getResourceAsStream("/original-mappings/" + name + ".yaml")) {
            assertThat(in).as("fixture original-mappings/%s.yaml", name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    private Path write(String fileName, String text) throws IOException {
        return Files.writeString(dir.resolve(fileName), text, StandardCharsets.UTF_8);
    }

    /** A valid mapping to break one line of; line numbers below refer to this text. */
    private static final String VALID =
            """
            dataset: energy_hourly
            granularity: hourly

            columns:
              "Date and Time": ts
              "Hourly": energy_kwh

            coercions:
              ts: datetime
              energy_kwh: float

            validation_rules:
              schema:
                required:
                  - ts
                  - energy_kwh
              constraints:
                energy_kwh:
                  min: 0
                  max: 10000

            conflict_resolution:
              strategy: update
              on_columns:
                - device_id
                - ts
              update_columns:
                - energy_kwh

            target_table: fact_energy_hourly
            staging_table: staging_energy_hourly
            """;

    private static String lineOf(String text, int line) {
        return text.split("\n", -1)[line - 1];
    }

    /** Replaces one line, checking it is the line meant, so line numbers in assertions stay true. */
    private static String replacingLine(int line, String expected, String replacement) {
        List<String> lines = new ArrayList<>(List.of(VALID.split("\n", -1)));
        assertThat(lines.get(line - 1)).isEqualTo(expected);
        lines.set(line - 1, replacement);
        return String.join("\n", lines);
    }

    private MappingException failure(String fileName, String text) throws IOException {
        Path file = write(fileName, text);
        Throwable thrown = catchThrowable(() -> loader.load(file));
        assertThat(thrown).isInstanceOf(MappingException.class);
        return (MappingException) thrown;
    }

    @Nested
    class TheOriginalIngestorsMappings {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"energy_hourly", "energy_daily", "environmental_metrics", "dairy_production"})
        void loadUnchanged(String name) throws Exception {
            Path file = original(name);
            assertThat(Files.readString(file)).contains("- datasource_id", "# Conflict Resolution Strategy");

            Mapping mapping = loader.load(file);

            assertThat(mapping.dataset()).isEqualTo(name);
            // the original keyed rows on datasource_id; here the device's external id is that key
            assertThat(mapping.conflict().onColumns()).startsWith("device_id").doesNotContain("datasource_id");
            assertThat(mapping.conflict().strategy()).isEqualTo(Strategy.UPDATE);
            // no source: block in the original files
            assertThat(mapping.source()).isEqualTo(SourceOptions.DEFAULTS);
            assertThat(mapping.minValidRatio()).isZero();
        }

        @Test
        void energyHourly() throws Exception {
            Mapping m = loader.load(original("energy_hourly"));

            assertThat(m.granularity()).isEqualTo("hourly");
            assertThat(m.columns()).isEqualTo(Map.of("Date and Time", "ts", "Hourly", "energy_kwh"));
            assertThat(m.coercions()).isEqualTo(Map.of("ts", Coercion.DATETIME, "energy_kwh", Coercion.FLOAT));
            assertThat(m.required()).containsExactly("ts", "energy_kwh");
            assertThat(m.constraints()).containsOnlyKeys("energy_kwh");
            assertThat(m.constraints().get("energy_kwh"))
                    .isEqualTo(new Constraint(0.0, 10000.0, null, null, null, null));
            assertThat(m.conflict().strategy()).isEqualTo(Strategy.UPDATE);
            assertThat(m.conflict().onColumns()).containsExactly("device_id", "ts");
            assertThat(m.conflict().updateColumns()).containsExactly("energy_kwh");
            assertThat(m.targetTable()).isEqualTo("fact_energy_hourly");
            assertThat(m.stagingTable()).isEqualTo("staging_energy_hourly");
        }

        @Test
        void energyDaily() throws Exception {
            Mapping m = loader.load(original("energy_daily"));

            assertThat(m.granularity()).isEqualTo("daily");
            assertThat(m.columns()).isEqualTo(Map.of("Date and Time", "ts", "Daily", "energy_kwh"));
            assertThat(m.coercions()).isEqualTo(Map.of("ts", Coercion.DATE, "energy_kwh", Coercion.FLOAT));
            assertThat(m.required()).containsExactly("ts", "energy_kwh");
            assertThat(m.constraints().get("energy_kwh").max()).isEqualTo(100000.0);
            assertThat(m.constraints().get("energy_kwh").min()).isEqualTo(0.0);
            assertThat(m.conflict().onColumns()).containsExactly("device_id", "ts");
            assertThat(m.conflict().updateColumns()).containsExactly("energy_kwh");
            assertThat(m.targetTable()).isEqualTo("fact_energy_daily");
            assertThat(m.stagingTable()).isEqualTo("staging_energy_daily");
        }

        @Test
        void environmentalMetrics() throws Exception {
            Mapping m = loader.load(original("environmental_metrics"));

            assertThat(m.granularity()).isEqualTo("raw");
            assertThat(m.columns())
                    .hasSize(10)
                    .containsEntry("timestamp", "timestamp")
                    .containsEntry("temperature (°C)", "temperature")
                    .containsEntry("pm10 (µg/m³)", "pm10")
                    .containsEntry("pm2p5 (µg/m³)", "pm2p5")
                    .containsEntry("wind_angle (°)", "wind_angle")
                    .containsEntry("wind_direction (sectors)", "wind_direction_sectors");
            assertThat(m.coercions()).hasSize(10).containsEntry("timestamp", Coercion.DATETIME);
            assertThat(m.coercions().values()).containsOnly(Coercion.DATETIME, Coercion.FLOAT);
            assertThat(m.required()).containsExactly("timestamp", "temperature");
            assertThat(m.constraints().get("temperature"))
                    .isEqualTo(new Constraint(-50.0, 60.0, null, null, null, null));
            assertThat(m.constraints().get("noise_level_db"))
                    .isEqualTo(new Constraint(0.0, 140.0, null, null, null, null));
            // commented out in the original file
            assertThat(m.constraints())
                    .doesNotContainKey("atm_pressure")
                    .containsOnlyKeys(
                            "temperature", "humidity", "pm10", "pm2p5", "wind_speed", "wind_angle", "noise_level_db");
            assertThat(m.conflict().onColumns()).containsExactly("device_id", "timestamp");
            assertThat(m.conflict().updateColumns())
                    .containsExactly(
                            "atm_pressure",
                            "noise_level_db",
                            "temperature",
                            "humidity",
                            "pm10",
                            "wind_speed",
                            "wind_direction_sectors",
                            "wind_angle",
                            "pm2p5");
            assertThat(m.targetTable()).isEqualTo("environmental_metrics");
            assertThat(m.stagingTable()).isEqualTo("staging_environmental_metrics");
        }

        @Test
        void dairyProduction() throws Exception {
            Mapping m = loader.load(original("dairy_production"));

            assertThat(m.columns()).hasSize(8).containsEntry("Nr. animals", "number_of_animals");
            assertThat(m.coercion("production_date")).isEqualTo(Coercion.DATE);
            assertThat(m.coercion("number_of_animals")).isEqualTo(Coercion.INT);
            assertThat(m.coercion("rumination_minutes")).isEqualTo(Coercion.INT);
            assertThat(m.coercion("feed_efficiency")).isEqualTo(Coercion.FLOAT);
            assertThat(m.required()).containsExactly("production_date", "number_of_animals");
            assertThat(m.constraints().get("number_of_animals"))
                    .isEqualTo(new Constraint(1.0, 10000.0, null, null, null, null));
            assertThat(m.constraints().get("rumination_minutes").max()).isEqualTo(1440.0);
            assertThat(m.conflict().onColumns()).containsExactly("device_id", "production_date");
            assertThat(m.conflict().updateColumns()).hasSize(7).doesNotContain("production_date");
            assertThat(m.targetTable()).isEqualTo("dairy_production");
            assertThat(m.stagingTable()).isEqualTo("staging_dairy_production");
        }

        @Test
        void anOlderVersionWithAPrimaryKeyLoads() throws Exception {
            // ingestor/app/mappings/energy_hourly.yaml @ 401b9c8: primary_key [device_id, ts], target energy_hourly
            Path file = original("energy_hourly");
            String text = Files.readString(file)
                    .replace("  energy_kwh: float\n", "  energy_kwh: float\n\nprimary_key: [device_id, ts]\n")
                    .replace("    - datasource_id\n", "    - device_id\n")
                    .replace("target_table: fact_energy_hourly", "target_table: energy_hourly");
            assertThat(text).contains("primary_key").doesNotContain("datasource_id");

            Mapping m = loader.load(write("energy_hourly.yaml", text));

            assertThat(m.conflict().onColumns()).containsExactly("device_id", "ts");
            assertThat(m.targetTable()).isEqualTo("energy_hourly");
        }

        @Test
        void columnsKeepTheOrderOfTheFile() throws Exception {
            // Mapping documents "in file order": it decides the order of the staged columns and of the
            // expected columns listed when a file's header does not match
            Mapping m = loader.load(original("environmental_metrics"));

            assertThat(List.copyOf(m.columns().keySet()))
                    .containsExactly(
                            "timestamp",
                            "atm_pressure (hPa)",
                            "noise_level_db (dB)",
                            "temperature (°C)",
                            "humidity (%)",
                            "pm10 (µg/m³)",
                            "wind_speed (m/s)",
                            "wind_direction (sectors)",
                            "wind_angle (°)",
                            "pm2p5 (µg/m³)");
        }
    }

    @Nested
    class TheShippedMappings {

        static Stream<Path> shipped() throws IOException {
            try (Stream<Path> files = Files.list(SHIPPED_MAPPINGS)) {
                List<Path> list = files.filter(f -> f.toString().endsWith(".yaml"))
                        .sorted()
                        .toList();
                assertThat(list).hasSizeGreaterThanOrEqualTo(4);
                return list.stream();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("shipped")
        void load(Path file) throws Exception {
            Mapping mapping = loader.load(file);

            assertThat(mapping.dataset()).isEqualTo(MappingLoader.nameOf(file));
            assertThat(mapping.columns()).isNotEmpty();
            assertThat(mapping.conflict().strategy()).isEqualTo(Strategy.UPDATE);
            assertThat(mapping.conflict().onColumns()).contains("device_id");
        }

        @Test
        void energyHourlyTakesTheDeviceIdFromTheFileName() throws Exception {
            Mapping m = loader.load(SHIPPED_MAPPINGS.resolve("energy_hourly.yaml"));

            var pattern = m.source().deviceIdFromFilename();
            assertThat(pattern).isNotNull();
            var matcher = pattern.matcher("0123456789abcdef0123ab-hourly.csv");
            assertThat(matcher.find()).isTrue();
            assertThat(matcher.group(1)).isEqualTo("0123456789abcdef0123ab");
            assertThat(m.source().detectHeaders()).containsExactly("Date and Time", "Hourly");
            assertThat(m.source().timezone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(m.source().decimal()).isEqualTo(DecimalMark.AUTO);
        }

        @Test
        void dairyProductionSkipsSummaryRows() throws Exception {
            Mapping m = loader.load(SHIPPED_MAPPINGS.resolve("dairy_production.yaml"));

            assertThat(m.source().skipRowsWhere()).isEqualTo(Map.of("Date", Set.of("AVG", "SUM", "TOTAL", "AVERAGE")));
        }
    }

    @Nested
    class Mistakes {

        @Test
        void anUnknownTopLevelKeyNamesTheFileTheLineAndTheKey() throws Exception {
            String text = replacingLine(4, "columns:", "colums:");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e).hasMessageStartingWith("energy_hourly.yaml line 4, key 'colums': unknown key");
            // the known keys help spot the typo
            assertThat(e.getMessage()).contains("columns", "coercions", "validation_rules");
        }

        @Test
        void anUnknownNestedKeyNamesItsLine() throws Exception {
            String text = replacingLine(23, "  strategy: update", "  stratgy: update");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e).hasMessageStartingWith("energy_hourly.yaml line 23, key 'stratgy': unknown key");
        }

        @Test
        void anUnknownCoercionNamesTheLineOfItsEntryAndListsTheKnownOnes() throws Exception {
            String text = replacingLine(10, "  energy_kwh: float", "  energy_kwh: floaty");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .startsWith("energy_hourly.yaml line 10, key 'energy_kwh': unknown coercion 'floaty'")
                    .contains("string|int|float|decimal|bool|date|datetime|timestamp|datetime_ms");
        }

        @Test
        void aTargetColumnThatIsNotAPlainSqlIdentifierIsRefused() throws Exception {
            String text = replacingLine(6, "  \"Hourly\": energy_kwh", "  \"Hourly\": \"energy kwh; drop table x\"");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .startsWith("energy_hourly.yaml line 6, key 'Hourly': 'energy kwh; drop table x'"
                            + " is not a plain SQL identifier");
        }

        @ParameterizedTest(name = "target_table: {0}")
        @ValueSource(strings = {"Fact_Energy", "\"fact energy\"", "public.fact_energy_hourly", "1table"})
        void aTableThatIsNotAPlainSqlIdentifierIsRefused(String table) throws Exception {
            String text = replacingLine(30, "target_table: fact_energy_hourly", "target_table: " + table);

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml line 30, key 'target_table': ");
        }

        @Test
        void aTargetColumnMappedTwiceIsRefused() throws Exception {
            String text = replacingLine(6, "  \"Hourly\": energy_kwh", "  \"Hourly\": ts");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).contains("key 'Hourly'", "target column 'ts' is mapped twice");
        }

        @Test
        void invalidYamlNamesTheLine() throws Exception {
            // the second column is indented by one space instead of two
            String text = replacingLine(6, "  \"Hourly\": energy_kwh", " \"Hourly\": energy_kwh");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml line 6");
        }

        @Test
        void aListWhereAMapIsExpectedNamesTheKey() throws Exception {
            String text = VALID.replace("  \"Date and Time\": ts\n  \"Hourly\": energy_kwh", "  - ts\n  - energy_kwh");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml line ").contains("columns");
        }

        @Test
        void anUnknownStrategyIsRefused() throws Exception {
            String text = replacingLine(23, "  strategy: update", "  strategy: merge");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .isEqualTo("energy_hourly.yaml line 23, key 'strategy': unknown strategy 'merge'"
                            + " (known: update|ignore|fail|append)");
        }

        @ParameterizedTest(name = "strategy: {0}")
        @ValueSource(strings = {"update", "ignore"})
        void anUpsertWithoutKeyColumnsIsRefused(String strategy) throws Exception {
            String text = VALID.replace(
                    "  strategy: update\n  on_columns:\n    - device_id\n    - ts\n", "  strategy: " + strategy + "\n");
            assertThat(text).doesNotContain("on_columns");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .startsWith("energy_hourly.yaml, key 'on_columns': strategy " + strategy)
                    .contains("needs the columns of a unique key");
        }

        @Test
        void appendNeedsNoKeyColumns() throws Exception {
            String text = VALID.replace(
                    "  strategy: update\n  on_columns:\n    - device_id\n    - ts\n", "  strategy: append\n");

            Mapping m = loader.load(write("energy_hourly.yaml", text));

            assertThat(m.conflict().strategy()).isEqualTo(Strategy.APPEND);
            assertThat(m.conflict().onColumns()).isEmpty();
        }

        @Test
        void anUnknownTimeZoneIsRefused() throws Exception {
            String text = VALID + "source:\n  timezone: Mars/Olympus\n";

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .isEqualTo("energy_hourly.yaml line 33, key 'timezone': unknown time zone 'Mars/Olympus'");
        }

        @Test
        void aKnownTimeZoneIsUsed() throws Exception {
            String text = VALID + "source:\n  timezone: Europe/Athens\n  decimal: \",\"\n  delimiter: \";\"\n";

            Mapping m = loader.load(write("energy_hourly.yaml", text));

            assertThat(m.source().timezone()).isEqualTo(ZoneId.of("Europe/Athens"));
            assertThat(m.source().decimal()).isEqualTo(DecimalMark.COMMA);
            assertThat(m.source().delimiter()).isEqualTo(';');
        }

        @Test
        void aDeviceIdPatternWithoutAGroupIsRefused() throws Exception {
            String text = VALID + "source:\n  device_id_from_filename: '^[a-f0-9]{20,}-'\n";

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .isEqualTo("energy_hourly.yaml line 33, key 'device_id_from_filename':"
                            + " needs a capturing group around the device id");
        }

        @Test
        void anInvalidDeviceIdPatternIsRefused() throws Exception {
            String text = VALID + "source:\n  device_id_from_filename: '^([a-f0-9]{20,}-'\n";

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .startsWith(
                            "energy_hourly.yaml line 33, key 'device_id_from_filename': not a valid regular expression");
        }

        @ParameterizedTest(name = "min_valid_ratio: {0}")
        @ValueSource(strings = {"1.5", "-0.1"})
        void aValidRatioOutsideZeroToOneIsRefused(String ratio) throws Exception {
            String text = VALID + "quality:\n  min_valid_ratio: " + ratio + "\n";

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage())
                    .isEqualTo("energy_hourly.yaml line 33, key 'min_valid_ratio': must be between 0 and 1, found "
                            + Double.parseDouble(ratio));
        }

        @Test
        void aValidRatioIsKept() throws Exception {
            Mapping m = loader.load(write("energy_hourly.yaml", VALID + "quality:\n  min_valid_ratio: 0.9\n"));

            assertThat(m.minValidRatio()).isEqualTo(0.9);
        }

        @Test
        void anUnknownDecimalMarkIsRefused() throws Exception {
            MappingException e = failure("energy_hourly.yaml", VALID + "source:\n  decimal: \"'\"\n");

            assertThat(e.getMessage())
                    .startsWith("energy_hourly.yaml line 33, key 'decimal': expected auto, '.' or ','");
        }

        @Test
        void aDatetimeFormatThatIsNotAPatternIsRefused() throws Exception {
            MappingException e =
                    failure("energy_hourly.yaml", VALID + "source:\n  datetime_formats: [\"yyyy-MM-dd {HH}\"]\n");

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml line 33, key 'datetime_formats': ");
        }

        @Test
        void aConstraintWithMinAboveMaxIsRefused() throws Exception {
            String text = replacingLine(19, "      min: 0", "      min: 20000");

            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).contains("key 'energy_kwh'", "min 20000.0 is greater than max 10000.0");
        }

        @Test
        void aMissingTargetTableIsRefused() throws Exception {
            MappingException e = failure("energy_hourly.yaml", VALID.replace("target_table: fact_energy_hourly\n", ""));

            assertThat(e.getMessage()).isEqualTo("energy_hourly.yaml, key 'target_table': is required");
        }

        @Test
        void aMappingWithoutColumnsIsRefused() throws Exception {
            MappingException e = failure(
                    "energy_hourly.yaml",
                    VALID.replace("columns:\n  \"Date and Time\": ts\n  \"Hourly\": energy_kwh\n", ""));

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml").contains("key 'columns'");
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"", "\n", "# nothing yet\n", "---\n"})
        void anEmptyFileIsRefused(String text) throws Exception {
            MappingException e = failure("energy_hourly.yaml", text);

            assertThat(e.getMessage()).startsWith("energy_hourly.yaml");
        }

        @Test
        void aFileNameThatCannotNameAFolderIsRefused() throws Exception {
            MappingException e = failure("Energy-Hourly.yaml", VALID);

            assertThat(e.getMessage()).startsWith("Energy-Hourly.yaml: the file name must be lower-case");
        }

        @Test
        void aMissingFileIsReported() {
            Path missing = dir.resolve("nowhere.yaml");

            assertThatThrownBy(() -> loader.load(missing))
                    .isInstanceOf(MappingException.class)
                    .hasMessageStartingWith("nowhere.yaml: cannot be read");
        }
    }

    @Test
    void theValidTemplateUsedAboveLoads() throws Exception {
        // guards the line numbers the Mistakes tests rely on
        assertThat(lineOf(VALID, 4)).isEqualTo("columns:");
        Mapping m = loader.load(write("energy_hourly.yaml", VALID));
        assertThat(m.targetTable()).isEqualTo("fact_energy_hourly");
    }
}
