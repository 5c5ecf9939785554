package io.camelingestor.core;

import java.util.List;
import java.util.Map;

/**
 * What staging an input found; the pipeline keeps it as the exchange property {@value ExchangeProperties#STAGE_RESULT} and its
 * quality decisions (no rows, no valid row, ratio under the mapping's threshold) read it.
 *
 * @param rowsSkipped summary rows left out by {@code skip_rows_where}; not counted in the total
 * @param sampleErrors the first record errors, for reports
 * @param checks per failed rule and column, the count and up to 20 samples
 * @param detected what the reader detected (delimiter, charset)
 */
public record StageResult(
        long rowsTotal,
        long rowsValid,
        long rowsSkipped,
        List<RecordError> sampleErrors,
        Map<CheckKey, CheckTally> checks,
        Map<String, Object> detected) {

    public StageResult {
        sampleErrors = List.copyOf(sampleErrors);
        checks = Map.copyOf(checks);
        detected = Map.copyOf(detected);
    }

    public long rowsInvalid() {
        return rowsTotal - rowsValid;
    }

    /** Valid rows over all rows, 0 for an input without rows. */
    public double validRatio() {
        return rowsTotal == 0 ? 0.0 : (double) rowsValid / rowsTotal;
    }

    public record CheckKey(String rule, String column) {}

    public record CheckTally(long failed, List<RecordError> samples) {}
}
