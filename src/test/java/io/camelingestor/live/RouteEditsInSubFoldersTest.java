package io.camelingestor.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camelingestor.restart.ChildIngestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Route files edited below routes/ while the service runs: an entry appended to sources/files.yaml, a new
 * and a deleted file in sources/, an edited template, and a broken edit in a sub-folder.
 */
class RouteEditsInSubFoldersTest {

    private static final String ADMIN_PASSWORD = "route-edits-admin-secret";

    private final Path root = Path.of("target/route-edits").toAbsolutePath();
    private final Path mappings = root.resolve("mappings");
    private final Path routes = root.resolve("routes");
    private final Path dataDir = root.resolve("data");

    @Test
    void editsBelowTheRoutesFolderTakeEffect() throws Exception {
        try (ChildIngestor child = EditableService.start(root, "route-edits-node", ADMIN_PASSWORD)) {
            JdbcTemplate db = child.database();
            int port = child.port();
            assertThat(sources(port)).contains("\"files.energy_hourly\"").doesNotContain("files.meter_hourly");

            // an entry appended to sources/files.yaml (and its mapping): a new route, its folder, its rows
            Files.writeString(mappings.resolve("meter_hourly.yaml"), mappingCopy("energy_hourly", "meter_hourly"));
            Path files = routes.resolve("sources/files.yaml");
            String filesBefore = Files.readString(files);
            Files.writeString(files, filesBefore + templatedFileSource("meter_hourly"));
            await().atMost(Duration.ofSeconds(60)).until(() -> sources(port).contains("\"files.meter_hourly\""));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(inbound("meter_hourly")));
            drop(
                    "meter_hourly",
                    "abababababababababababab-hourly.csv",
                    "Date and Time,Hourly\n2025-06-01T00:00:00,3\n");
            assertThat(awaitStatus(db, "abababababababababababab-hourly.csv")).isEqualTo("LOADED");

            // a new file in sources/: its route starts; the file deleted: its route is gone
            Files.writeString(mappings.resolve("meter_daily.yaml"), mappingCopy("energy_daily", "meter_daily"));
            Path extra = routes.resolve("sources/meters.yaml");
            Files.writeString(extra, templatedFileSource("meter_daily"));
            await().atMost(Duration.ofSeconds(60)).until(() -> sources(port).contains("\"files.meter_daily\""));
            Files.delete(extra);
            await().atMost(Duration.ofSeconds(60)).until(() -> !sources(port).contains("\"files.meter_daily\""));
            assertThat(child.log()).contains("Route file sources/meters.yaml deleted");

            // an edited template: the routes built from it follow it. Before the edit a *.hold file is taken ...
            drop(
                    "energy_hourly",
                    "acacacacacacacacacacacac-hourly.csv.hold",
                    "Date and Time,Hourly\n2025-06-02T00:00:00,1\n");
            assertThat(awaitStatus(db, "acacacacacacacacacacacac-hourly.csv.hold"))
                    .isEqualTo("LOADED");
            Path template = routes.resolve("templates/file-source.yaml");
            Files.writeString(template, Files.readString(template).replace("|crdownload|", "|crdownload|hold|"));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> child.log().contains("Route file templates/file-source.yaml reloaded"));
            // ... after it, it is left in the folder while the next file is loaded
            drop(
                    "energy_hourly",
                    "adadadadadadadadadadadad-hourly.csv.hold",
                    "Date and Time,Hourly\n2025-06-03T00:00:00,1\n");
            drop(
                    "energy_hourly",
                    "aeaeaeaeaeaeaeaeaeaeaeae-hourly.csv",
                    "Date and Time,Hourly\n2025-06-04T00:00:00,1\n");
            assertThat(awaitStatus(db, "aeaeaeaeaeaeaeaeaeaeaeae-hourly.csv")).isEqualTo("LOADED");
            assertThat(inbound("energy_hourly").resolve("adadadadadadadadadadadad-hourly.csv.hold"))
                    .exists();
            assertThat(ChildIngestor.latestStatus(db, "adadadadadadadadadadadad-hourly.csv.hold"))
                    .isNull();

            // a broken edit in sources/ is refused with its file; every route keeps running
            Files.writeString(files, filesBefore + templatedFileSource("meter_hourly") + "- templatedRoute: [\n");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> child.log().contains("Error reloading routes from file")
                            && child.log().contains("sources/files.yaml"));
            assertThat(sources(port)).contains("\"files.meter_hourly\"", "\"files.energy_hourly\"");
            drop(
                    "meter_hourly",
                    "afafafafafafafafafafafaf-hourly.csv",
                    "Date and Time,Hourly\n2025-06-05T00:00:00,3\n");
            assertThat(awaitStatus(db, "afafafafafafafafafafafaf-hourly.csv")).isEqualTo("LOADED");

            // the entry removed again: its route stops and is removed, the others keep running
            Files.writeString(files, filesBefore);
            await().atMost(Duration.ofSeconds(60)).until(() -> !sources(port).contains("\"files.meter_hourly\""));
            drop(
                    "energy_hourly",
                    "a0a0a0a0a0a0a0a0a0a0a0a0-hourly.csv",
                    "Date and Time,Hourly\n2025-06-06T00:00:00,1\n");
            assertThat(awaitStatus(db, "a0a0a0a0a0a0a0a0a0a0a0a0-hourly.csv")).isEqualTo("LOADED");
        }
    }

    private String mappingCopy(String from, String to) throws IOException {
        return Files.readString(mappings.resolve(from + ".yaml")).replace("dataset: " + from, "dataset: " + to);
    }

    private static String templatedFileSource(String dataset) {
        return """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: files.%s
                    parameters:
                      - name: dataset
                        value: %s
                """
                .formatted(dataset, dataset);
    }

    private Path inbound(String dataset) {
        return dataDir.resolve("inbound").resolve(dataset);
    }

    private static String sources(int port) throws Exception {
        return EditableService.getAsAdmin(port, "/api/sources?limit=500", ADMIN_PASSWORD);
    }

    private void drop(String dataset, String name, String content) throws IOException {
        EditableService.drop(inbound(dataset), name, content);
    }

    private static String awaitStatus(JdbcTemplate db, String file) {
        return EditableService.awaitStatus(db, file);
    }
}
