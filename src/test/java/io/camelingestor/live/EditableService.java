package io.camelingestor.live;

import static org.awaitility.Awaitility.await;

import io.camelingestor.TestDataDir;
import io.camelingestor.restart.ChildIngestor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service in a child JVM on copies of the project's mapping and route files (under {@code root}), which a
 * test edits while it runs, with live reload on and the mappings looked at every 300 ms.
 */
final class EditableService {

    private EditableService() {}

    static ChildIngestor start(Path root, String nodeId, String adminPassword) throws IOException {
        TestDataDir.delete(root);
        copy(Path.of("mappings"), root.resolve("mappings"));
        copy(Path.of("routes"), root.resolve("routes"));
        return ChildIngestor.start(
                root.resolve("data"),
                nodeId,
                Map.of("INGESTOR_SECURITY_PASSWORD", adminPassword),
                Map.of(
                        "ingestor.mappings-dir",
                        root.resolve("mappings").toString(),
                        "ingestor.routes-dir",
                        root.resolve("routes").toString(),
                        "ingestor.routes.reload",
                        "true",
                        "ingestor.mappings-watch-period",
                        "300"));
    }

    /** Writes the file under a temporary name and renames it into the folder, as a well-behaved writer does. */
    static void drop(Path folder, String name, String content) throws IOException {
        Files.writeString(folder.resolve(name + ".tmp"), content);
        Files.move(folder.resolve(name + ".tmp"), folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The status the file's batch ends with (each file here is dropped once). */
    static String awaitStatus(JdbcTemplate db, String file) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String status = ChildIngestor.latestStatus(db, file);
                    return status != null && !"RUNNING".equals(status);
                });
        return ChildIngestor.latestStatus(db, file);
    }

    /** The body of a GET as the admin (health details and the API need a login). */
    static String getAsAdmin(int port, String path, String adminPassword) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(("admin:" + adminPassword).getBytes()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
