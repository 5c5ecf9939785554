package io.camelingestor.ingest.read;

import io.camelingestor.core.RawRecord;
import java.util.Iterator;
import java.util.List;

/**
 * The contract between readers (CSV now; XLSX, JSON and API records later) and the transformer: a header
 * and an iterator over rows, read lazily so that no input is ever held whole in memory.
 */
public interface RecordStream extends Iterator<RawRecord>, AutoCloseable {

    /** Column names as the input spells them. */
    List<String> header();

    /** What was detected while opening (delimiter, charset, ...), kept with the batch. */
    java.util.Map<String, Object> detected();

    @Override
    void close();
}
