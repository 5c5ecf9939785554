package io.camelingestor.ingest.read;

import io.camelingestor.core.Envelope;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.dataset.SourceOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Opens the reader that fits an input's content type, with the mapping's {@code source:} options. */
@Component
public class RecordReaders {

    private final XlsxLimits xlsxLimits;

    public RecordReaders(XlsxLimits xlsxLimits) {
        this.xlsxLimits = xlsxLimits;
    }

    /**
     * @throws InputRejectedException for a content type no reader handles, or an input without a header
     */
    public RecordStream open(Envelope envelope, Dataset dataset) throws IOException {
        // an HTTP source's window is spooled to a file; its sourceUri is the request URL
        Object payloadFile = envelope.metadata().get("payloadFile");
        return open(
                Path.of(payloadFile != null ? payloadFile.toString() : envelope.sourceUri()),
                envelope.contentType(),
                dataset.mapping().source(),
                List.copyOf(dataset.mapping().columns().keySet()));
    }

    /** For a file whose dataset is not known yet: everything detected, nothing from a mapping. */
    public RecordStream openWithDefaults(Path file, String contentType) throws IOException {
        return open(file, contentType, SourceOptions.DEFAULTS, List.of());
    }

    /** @param columns the mapping's source columns: a JSON record may lack keys, so they head its header */
    private RecordStream open(Path file, String contentType, SourceOptions source, List<String> columns)
            throws IOException {
        return switch (contentType) {
            case "csv" -> CsvRecordReader.open(file, source.delimiter(), source.charset());
            case "xlsx" -> XlsxRecordReader.open(file, source.sheet(), xlsxLimits);
            case "json" -> JsonRecordReader.open(file, source.recordsPath(), columns);
            default ->
                throw new InputRejectedException(
                        "content type '" + contentType + "' has no reader (csv, xlsx, json)",
                        Map.of("contentType", contentType));
        };
    }
}
