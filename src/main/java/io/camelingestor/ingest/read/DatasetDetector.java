package io.camelingestor.ingest.read;

import io.camelingestor.dataset.MappingRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Finds the dataset of a file dropped into {@code inbound/auto/} from its header: the mapping whose
 * {@code source.detect_headers} are all present (compared trimmed and case-insensitively) wins; when several
 * match, the one that names the most headers.
 */
@Component
public class DatasetDetector {

    /** The folder whose files find their dataset by their header. */
    public static final String AUTO = "auto";

    private final MappingRegistry mappings;
    private final RecordReaders readers;

    public DatasetDetector(MappingRegistry mappings, RecordReaders readers) {
        this.mappings = mappings;
        this.readers = readers;
    }

    /**
     * @param dataset the dataset found, or null
     * @param explanation what was found and tried, for the report of a file that matched nothing
     */
    public record Detection(String dataset, String explanation) {}

    public Detection detect(Path file, String contentType) {
        List<String> header;
        try (RecordStream stream = readers.openWithDefaults(file, contentType)) {
            header = stream.header();
        } catch (Exception e) {
            return new Detection(
                    null, "no dataset could be detected: the header cannot be read (" + e.getMessage() + ")");
        }
        Set<String> found = header.stream().map(DatasetDetector::normalize).collect(Collectors.toSet());
        String best = null;
        int bestCount = 0;
        boolean tie = false;
        List<String> tried = new ArrayList<>();
        for (String name : mappings.names()) {
            List<String> wanted =
                    mappings.find(name).orElseThrow().mapping().source().detectHeaders();
            if (wanted.isEmpty()) {
                continue;
            }
            tried.add(name + " " + wanted);
            if (wanted.stream().map(DatasetDetector::normalize).allMatch(found::contains)) {
                if (wanted.size() > bestCount) {
                    best = name;
                    bestCount = wanted.size();
                    tie = false;
                } else if (wanted.size() == bestCount) {
                    tie = true;
                }
            }
        }
        if (best != null && !tie) {
            return new Detection(best, "detected as " + best + " by its header");
        }
        return new Detection(
                null,
                (tie ? "the header matches several datasets equally" : "no dataset matches the header") + " " + header
                        + "; datasets tried (with the headers they need): " + String.join("; ", tried));
    }

    private static String normalize(String header) {
        return header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }
}
