package io.camelingestor.dataset;

import io.camelingestor.coerce.Coercer;
import io.camelingestor.core.ExchangeProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A mapping checked against the database and ready to use: the pipeline keeps it as the exchange property
 * {@value ExchangeProperties#DATASET} for the input being ingested.
 *
 * @param name the mapping name (file name without extension), which names the inbound folder
 * @param loadColumns the target columns staged and loaded, in order: the mapped columns, then
 *     {@code device_id} when the table has it and the mapping does not map it (the envelope's device id)
 */
public record Dataset(String name, Mapping mapping, TargetTable target, Coercer coercer, List<String> loadColumns) {

    public static final String DEVICE_ID = "device_id";

    public static Dataset of(String name, Mapping mapping, TargetTable target) {
        List<String> load = new ArrayList<>(mapping.columns().values());
        if (target.has(DEVICE_ID) && !load.contains(DEVICE_ID)) {
            load.add(DEVICE_ID);
        }
        var source = mapping.source();
        return new Dataset(
                name,
                mapping,
                target,
                new Coercer(source.decimal(), source.datetimeFormats(), source.timezone()),
                List.copyOf(load));
    }

    /** Whether the device id column is filled from the envelope rather than from a file column. */
    public boolean deviceIdFromEnvelope() {
        return target.has(DEVICE_ID) && !mapping.columns().containsValue(DEVICE_ID);
    }

    /**
     * The original's rule for energy files: the meter's id starts the file name ({@code <id>-hourly.csv}). It
     * applies to a mapping into an energy table that names no {@code device_id_from_filename} of its own.
     */
    public static final java.util.regex.Pattern ORIGINAL_ENERGY_FILE_NAME =
            java.util.regex.Pattern.compile("^([a-f0-9]{20,})-");

    /**
     * The device id the mapping's {@code device_id_from_filename} (for an energy table without one: the
     * original's {@link #ORIGINAL_ENERGY_FILE_NAME}) finds in a file name, or null.
     */
    public String deviceIdFromFileName(String fileName) {
        var pattern = mapping.source().deviceIdFromFilename();
        if (pattern == null && target.name().startsWith("fact_energy_")) {
            pattern = ORIGINAL_ENERGY_FILE_NAME;
        }
        if (pattern == null) {
            return null;
        }
        Matcher m = pattern.matcher(fileName);
        return m.find() ? m.group(1) : null;
    }

    public double minValidRatio() {
        return mapping.minValidRatio();
    }
}
