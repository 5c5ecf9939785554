package io.camelingestor.ingest.read;

import io.camelingestor.dataset.MappingRegistry;
import io.camelingestor.datasource.DatasourceRegistry;
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
    private final DatasourceRegistry datasources;

    public DatasetDetector(MappingRegistry mappings, RecordReaders readers, DatasourceRegistry datasources) {
        this.mappings = mappings;
        this.readers = readers;
        this.datasources = datasources;
    }

    /**
     * @param dataset the dataset found, or null
     * @param explanation what was found and tried, for the report of a file that matched nothing
     */
    public record Detection(String dataset, String explanation) {}

    public Detection detect(Path file, String contentType) {
        String fileName = file.getFileName().toString();
        for (var datasource : datasources.fromFile()) {
            // a datasource that names both its files and their dataset decides before any header
            if (datasource.filePattern() != null
                    && datasource.fileDataset() != null
                    && datasource.filePattern().matcher(fileName).find()
                    && mappings.find(datasource.fileDataset()).isPresent()) {
                return new Detection(
                        datasource.fileDataset(),
                        "detected as " + datasource.fileDataset() + " by the datasource registry (datasource "
                                + datasource.externalId() + ")");
            }
        }
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
        if (best == null) {
            String original = originalRules(header);
            if (original != null && mappings.find(original).isPresent()) {
                return new Detection(original, "detected as " + original + " by its header (the original's rules)");
            }
            tried.add("the original ingestor's rules (environmental, dairy, 2-column energy headers)");
        }
        return new Detection(
                null,
                (tie ? "the header matches several datasets equally" : "no dataset matches the header") + " " + header
                        + "; datasets tried (with the headers they need): " + String.join("; ", tried));
    }

    /**
     * The original ingestor's header rules, for files whose mappings name no {@code detect_headers}: lower-cased
     * names; air-quality columns or units (µg/m³, hPa) are {@code environmental_metrics}; herd columns are
     * {@code dairy_production}; two columns, one "Date and Time", are {@code energy_hourly} when the other says
     * hourly, else {@code energy_daily}.
     */
    static String originalRules(List<String> header) {
        List<String> cols = header.stream().map(DatasetDetector::normalize).toList();
        if (cols.stream().anyMatch(c -> Set.of("pm10", "pm2p5", "humidity", "temperature", "atm_pressure")
                        .contains(c))
                || cols.stream().anyMatch(c -> c.contains("µg/m") || c.contains("hpa"))) {
            return "environmental_metrics";
        }
        if (cols.stream().anyMatch(c -> Set.of("nr. animals", "feed efficiency", "rumination")
                        .contains(c))
                || cols.stream().anyMatch(c -> c.contains("production") && c.contains("cow"))) {
            return "dairy_production";
        }
        if (cols.size() == 2 && cols.contains("date and time")) {
            String second = cols.get(0).equals("date and time") ? cols.get(1) : cols.get(0);
            return second.contains("hourly") ? "energy_hourly" : "energy_daily";
        }
        return null;
    }

    private static String normalize(String header) {
        return header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }
}
