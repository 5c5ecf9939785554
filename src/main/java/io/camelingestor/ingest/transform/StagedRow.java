package io.camelingestor.ingest.transform;

import io.camelingestor.core.RecordError;
import java.util.List;

/**
 * One record after transformation, as it goes to staging.
 *
 * @param raw the cell texts as read, aligned with the input's header
 * @param data coerced values, aligned with the dataset's load columns
 * @param errors every rule the record failed; empty for a valid record
 */
public record StagedRow(long row, String[] raw, Object[] data, List<RecordError> errors) {

    public boolean valid() {
        return errors.isEmpty();
    }
}
