package io.camelingestor.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import io.camelingestor.core.IngestorProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** What only the database can tell: the tables and columns a mapping names, and the unique key it needs. */
class MappingIsCheckedAgainstTheDatabaseTest extends IngestorIntegrationTest {

    @Autowired
    TableCatalog catalog;

    @TempDir
    Path dir;

    private static final String VALID =
            """
            columns: {"Date and Time": ts, "Hourly": energy_kwh}
            coercions: {ts: datetime, energy_kwh: float}
            conflict_resolution: {strategy: update, on_columns: [device_id, ts]}
            target_table: fact_energy_hourly
            staging_table: staging_energy_hourly
            """;

    @Test
    void aValidMappingIsLoaded() throws Exception {
        assertThat(load(VALID).errors()).isEmpty();
    }

    @Test
    void aColumnTheTableLacks() throws Exception {
        assertThat(load(VALID.replace("\"Hourly\": energy_kwh", "\"Hourly\": energy_mwh"))
                        .errors()
                        .get("m"))
                .startsWith(
                        "m.yaml line 1, key 'columns': table 'fact_energy_hourly' has no column energy_mwh (it has ");
    }

    @Test
    void aTableThatDoesNotExist() throws Exception {
        assertThat(load(VALID.replace("target_table: fact_energy_hourly", "target_table: fact_energy_weekly"))
                        .errors()
                        .get("m"))
                .isEqualTo(
                        "m.yaml line 4, key 'target_table': table 'fact_energy_weekly' does not exist (add it with a migration)");
    }

    @Test
    void onColumnsWithoutAUniqueKey() throws Exception {
        assertThat(load(VALID.replace("on_columns: [device_id, ts]", "on_columns: [device_id, energy_kwh]"))
                        .errors()
                        .get("m"))
                .isEqualTo(
                        "m.yaml line 3, key 'on_columns': table 'fact_energy_hourly' has no unique key on (device_id, energy_kwh)");
    }

    @Test
    void onColumnsThatLeaveTheDeviceOutAreKeyedPerDevice() throws Exception {
        MappingRegistry registry = load(VALID.replace("on_columns: [device_id, ts]", "on_columns: [ts]"));

        assertThat(registry.errors()).isEmpty();
        assertThat(registry.find("m").orElseThrow().mapping().conflict().onColumns())
                .containsExactly("device_id", "ts");
    }

    @Test
    void aStagingTableOfAnotherShape() throws Exception {
        assertThat(load(VALID.replace("staging_table: staging_energy_hourly", "staging_table: ingest_batch"))
                        .errors()
                        .get("m"))
                .startsWith("m.yaml line 5, key 'staging_table': table 'ingest_batch' lacks column batch_id");
    }

    /** README "Adding a dataset": each database check names the file, the line and the key. */
    @Test
    void aColumnTheTableLacksInABlockMappingNamesItsLine() throws Exception {
        String yaml =
                """
                columns:
                  "Date and Time": ts
                  "Hourly": energy_kwh
                  "Extra": no_such_column
                coercions:
                  ts: datetime
                conflict_resolution:
                  strategy: update
                  on_columns: [device_id, ts]
                target_table: fact_energy_hourly
                """;
        assertThat(load(yaml).errors().get("m"))
                .startsWith("m.yaml line 4, key 'columns': table 'fact_energy_hourly' has no column no_such_column");
    }

    private MappingRegistry load(String yaml) throws Exception {
        Files.writeString(dir.resolve("m.yaml"), yaml);
        return new MappingRegistry(new IngestorProperties(dir, dir, dir, dir, "test"), catalog);
    }
}
