package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A file dropped into inbound/auto/ finds its dataset by its header, or is rejected naming what was tried. */
class AutoFolderDetectsTheDatasetTest extends IngestorIntegrationTest {

    @Test
    void dailyEnergyFileIsLoadedAsEnergyDaily() throws Exception {
        String device = newDeviceId();
        String name = device + "-daily.csv";
        drop("auto", name, "Date and Time,Daily\n2025-06-01,42.5\n2025-06-02,40\n");

        Map<String, Object> batch = awaitBatch("energy_daily", name, "auto");
        cleanUp(batch);

        assertThat(batch)
                .containsEntry("status", "LOADED")
                .containsEntry("source_id", "files.auto")
                .containsEntry("device_id", device);
        assertThat(jdbc.queryForList(
                        "SELECT energy_kwh FROM fact_energy_daily WHERE device_id = ? ORDER BY ts",
                        Double.class,
                        device))
                .containsExactly(42.5, 40.0);
        assertThat(processed("energy_daily", name)).exists();
    }

    @Test
    void unknownHeaderIsRejectedListingTheDatasetsTried() throws Exception {
        String name = "mystery-" + newDeviceId() + ".csv";
        drop("auto", name, "Colour,Weight\nred,3\n");

        Map<String, Object> batch = awaitBatch("auto", name, "auto");
        cleanUp(batch);

        assertThat(batch).containsEntry("status", "REJECTED");
        assertThat((String) batch.get("error"))
                .contains("no dataset matches the header [Colour, Weight]")
                .contains("energy_hourly [Date and Time, Hourly]")
                .contains("dairy_production [Date, Nr. animals]");
        assertThat(rejected("auto", name)).exists();
        assertThat(rejected("auto", name + ".error.json")).content().contains("datasets tried");
    }
}
