package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelingestor.IngestorIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, findings 4 and 6: whoever can write into an inbound folder drops real symbolic links (to a secret
 * outside the data folder, to {@code /dev/zero}), a real hard link (to a file outside the data folder) and a
 * real named pipe. None is opened: each goes to rejected/
 * with a report naming its kind and nothing of its target, and the folder goes on taking files.
 */
class LinksPipesAndDevicesAreNeverOpenedTest extends IngestorIntegrationTest {

    private static final String DATASET = "energy_hourly";
    private static final String VALID = "Date and Time,Hourly\n2025-03-01T00:00:00,1.5\n";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path outside;

    @Test
    void aLinkToASecretIsNotRead() throws Exception {
        Path secret = outside.resolve("shadow");
        Files.writeString(secret, "Date and Time,Hourly\nroot:$6$secret-hash-4b1e:19000:0:99999:7:::\n");
        String name = newDeviceId() + "-link-hourly.csv";
        JsonNode report = rejectedUnopened(dropLink(name, secret), "a symbolic link");
        assertThat(report.toString()).doesNotContain("secret-hash-4b1e").doesNotContain(secret.toString());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM dead_letter WHERE error_message LIKE '%secret-hash-4b1e%'", Long.class))
                .isZero();
        assertThat(batches(DATASET, name))
                .as("nothing of it was registered or staged")
                .isEmpty();
        assertThat(Files.readString(secret)).contains("secret-hash-4b1e"); // the target is untouched
    }

    @Test
    void aHardLinkToAFileOutsideTheDataFolderIsNotRead() throws Exception {
        // on the data folder's file system (a hard link cannot cross file systems), outside the data folder
        Path elsewhere =
                Files.createDirectories(properties.dataDir().getParent().resolve("outside-" + newDeviceId()));
        Path secret = Files.writeString(
                elsewhere.resolve("secret.csv"), "Date and Time,Hourly\n2025-03-02T00:00:00,1.5\nhard-secret-9d3a,1\n");
        String name = newDeviceId() + "-hardlink-hourly.csv";
        Path inbound = Files.createDirectories(properties.inbound(DATASET));
        Path link = Files.createLink(inbound.resolve(name + ".tmp"), secret);
        Path dropped = Files.move(link, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        JsonNode report = rejectedUnopened(dropped, "a hard link (the file has other names, outside this folder)");
        assertThat(report.toString()).doesNotContain("hard-secret-9d3a").doesNotContain(elsewhere.toString());
        assertThat(batches(DATASET, name))
                .as("nothing of it was registered or staged")
                .isEmpty();
        assertThat(Files.readString(secret)).contains("hard-secret-9d3a"); // the file elsewhere is untouched
        assertLoadedBehind();
    }

    @Test
    void aLinkToDevZeroDoesNotStallTheFolder() throws Exception {
        String name = newDeviceId() + "-zero-hourly.csv";
        rejectedUnopened(dropLink(name, Path.of("/dev/zero")), "a symbolic link");
        assertLoadedBehind();
    }

    @Test
    void aNamedPipeIsNotOpenedAndFilesBehindItAreTaken() throws Exception {
        String name = newDeviceId() + "-fifo-hourly.csv";
        Path inbound = properties.inbound(DATASET);
        Files.createDirectories(inbound);
        Path fifo = inbound.resolve(name + ".tmp");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.move(fifo, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        rejectedUnopened(inbound.resolve(name), "a named pipe (FIFO)");
        assertThat(Files.readAttributes(
                                rejected(DATASET, name),
                                java.nio.file.attribute.BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS)
                        .isOther())
                .isTrue();
        assertLoadedBehind();
    }

    /** A link created under a temporary name and renamed into the inbound folder. */
    private Path dropLink(String name, Path target) throws Exception {
        Path inbound = properties.inbound(DATASET);
        Files.createDirectories(inbound);
        Path link = Files.createSymbolicLink(inbound.resolve(name + ".tmp"), target);
        return Files.move(link, inbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode rejectedUnopened(Path dropped, String kind) throws Exception {
        String name = dropped.getFileName().toString();
        Path report = properties.rejected(DATASET).resolve(name + ".error.json");
        await().atMost(INGEST_TIMEOUT)
                .until(() -> Files.exists(report)
                        && !Files.exists(dropped, LinkOption.NOFOLLOW_LINKS)
                        && Files.exists(rejected(DATASET, name), LinkOption.NOFOLLOW_LINKS));
        JsonNode json = this.json.readTree(Files.readString(report, StandardCharsets.UTF_8));
        assertThat(json.path("status").asText()).isEqualTo("REJECTED");
        assertThat(json.at("/details/kind").asText()).isEqualTo(kind);
        assertThat(json.path("reason").asText()).contains(kind).contains("not opened");
        return json;
    }

    /** A valid file dropped afterwards is loaded: the folder's thread is not stuck. */
    private void assertLoadedBehind() throws Exception {
        String name = newDeviceId() + "-behind-hourly.csv";
        drop(DATASET, name, VALID);
        Map<String, Object> batch = awaitBatch(DATASET, name);
        cleanUp(batch);
        assertThat(batch).containsEntry("status", "LOADED");
    }
}
