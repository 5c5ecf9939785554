package io.camelingestor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The integration tests' data folder starts empty once per test JVM (no state from an earlier run). */
public final class TestDataDir {

    static final Path DIR = Path.of("target/it-data");
    private static boolean cleaned;

    private TestDataDir() {}

    static synchronized void cleanOnce() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        delete(DIR);
    }

    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
