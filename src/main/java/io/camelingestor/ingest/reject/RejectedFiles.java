package io.camelingestor.ingest.reject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.camelingestor.core.Envelope;
import io.camelingestor.core.ExchangeProperties;
import io.camelingestor.core.IngestorProperties;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Sends a file that could not be loaded to {@code <data-dir>/rejected/<dataset>/} and writes
 * {@code <file>.error.json} beside it: the reason, the offending columns or rows, and the counts.
 */
@Component("rejectedFiles")
public class RejectedFiles {

    private final IngestorProperties properties;
    private final ObjectMapper json;

    public RejectedFiles(IngestorProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Expects the header {@code CamelFileName}, the caught exception and the {@code envelope}; writes the
     * report and leaves {@value ExchangeProperties#ARCHIVE_TO} (where the file is moved on completion) and
     * {@value ExchangeProperties#PAYLOAD_REF}.
     */
    public void report(Exchange exchange) throws IOException {
        Envelope envelope = exchange.getProperty(ExchangeProperties.ENVELOPE, Envelope.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path dir = properties.rejected(envelope.dataset());
        Files.createDirectories(dir);
        StageResult staged = exchange.getProperty(ExchangeProperties.STAGE_RESULT, StageResult.class);
        InputRejectedException rejected = DeadLetters.rejection(failure);

        // a file of the same name rejected before keeps its place: this one gets the next free name
        String keptAs = FreeNames.in(dir, fileName);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", fileName);
        if (!keptAs.equals(fileName)) {
            report.put("keptAs", keptAs);
        }
        report.put("dataset", envelope.dataset());
        report.put("batchId", exchange.getProperty(ExchangeProperties.BATCH_ID));
        report.put("status", DeadLetters.statusFor(failure).name());
        report.put("reason", DeadLetters.describe(failure));
        report.put(
                "details",
                rejected != null
                        ? rejected.details()
                        : Map.of("errorClass", failure.getClass().getName()));
        if (staged != null) {
            report.put(
                    "rows",
                    Map.of("total", staged.rowsTotal(), "valid", staged.rowsValid(), "invalid", staged.rowsInvalid()));
            report.put("invalidRows", staged.sampleErrors());
        }
        report.put("sha256", envelope.sha256());
        report.put("rejectedAt", Instant.now().toString());
        json.writeValue(dir.resolve(keptAs + ".error.json").toFile(), report);

        exchange.setProperty(ExchangeProperties.ARCHIVE_TO, "../../rejected/" + envelope.dataset() + "/" + keptAs);
        exchange.setProperty(ExchangeProperties.PAYLOAD_REF, dir.resolve(keptAs).toString());
    }
}
