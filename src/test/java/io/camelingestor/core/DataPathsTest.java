package io.camelingestor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataPathsTest {

    @Test
    void textWithTheDataFolderAsConfiguredIsShownRelative() {
        // the default ingestor.data-dir=./data: Camel's file consumer names files /cwd/./data/inbound/...
        // IngestorProperties hands the folder over normalised
        DataPaths paths = new DataPaths(Path.of("./data").toAbsolutePath().normalize());
        String cwd = Path.of("").toAbsolutePath().toString();

        assertThat(paths.shown(cwd + "/./data/inbound/energy_daily/x.csv")).isEqualTo("inbound/energy_daily/x.csv");
        assertThat(paths.shown(cwd + "/data/rejected/energy_daily/x.csv")).isEqualTo("rejected/energy_daily/x.csv");
        assertThat(paths.shown(Path.of("./data/inbound/energy_daily/x.csv"))).isEqualTo("inbound/energy_daily/x.csv");
    }

    @Test
    void anAbsoluteDataFolderIsShownRelative() {
        DataPaths paths = new DataPaths(Path.of("/srv/ingestor/data"));

        assertThat(paths.shown("moved to /srv/ingestor/data/processed/a/x.csv"))
                .isEqualTo("moved to processed/a/x.csv");
        assertThat(paths.shown(Path.of("/elsewhere/y.csv"))).isEqualTo("y.csv");
    }
}
