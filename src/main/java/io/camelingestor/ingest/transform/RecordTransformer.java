package io.camelingestor.ingest.transform;

import io.camelingestor.coerce.Coercer;
import io.camelingestor.coerce.Coercion;
import io.camelingestor.coerce.CoercionException;
import io.camelingestor.core.InputRejectedException;
import io.camelingestor.core.RawRecord;
import io.camelingestor.core.RecordError;
import io.camelingestor.dataset.Dataset;
import io.camelingestor.dataset.Mapping;
import io.camelingestor.dataset.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a dataset's mapping to the records of one input: binds the mapping's source columns to the input's
 * header (tolerant to case, surrounding spaces and a BOM), then coerces and validates each record, keeping
 * every failed rule. Built once per input; {@link #apply} runs per record and allocates only its result.
 */
public final class RecordTransformer {

    private final Dataset dataset;
    private final Coercer coercer;
    private final String deviceId;
    private final int[] sourceIndex; // per load column: index in the header, -1 for the envelope's device id
    private final String[] sourceName;
    private final Coercion[] coercions;
    private final Mapping.Constraint[] constraints;
    private final boolean[] required;
    private final TargetTable.Column[] targetColumns; // looked up once per input, not per value
    private final Map<Integer, Set<String>> skipWhere = new LinkedHashMap<>();

    /**
     * @throws InputRejectedException when the header lacks a column that a required target column comes from,
     *     or matches none of the mapping's columns
     */
    public RecordTransformer(Dataset dataset, List<String> header, String deviceId) {
        this(dataset, header, deviceId, dataset.coercer());
    }

    /** @param coercer the coercer for this input (its decimal mark decided from its numbers) */
    public RecordTransformer(Dataset dataset, List<String> header, String deviceId, Coercer coercer) {
        this.dataset = dataset;
        this.coercer = coercer;
        this.deviceId = deviceId;
        Mapping mapping = dataset.mapping();
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            byName.putIfAbsent(normalize(header.get(i)), i);
        }
        List<String> columns = dataset.loadColumns();
        int n = columns.size();
        sourceIndex = new int[n];
        sourceName = new String[n];
        coercions = new Coercion[n];
        constraints = new Mapping.Constraint[n];
        required = new boolean[n];
        targetColumns = new TargetTable.Column[n];
        Map<String, String> targetToSource = new LinkedHashMap<>();
        mapping.columns().forEach((source, target) -> targetToSource.put(target, source));
        List<String> missingRequired = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String target = columns.get(i);
            String source = targetToSource.get(target);
            required[i] = mapping.required().contains(target);
            coercions[i] = mapping.coercion(target);
            constraints[i] = mapping.constraints().get(target);
            targetColumns[i] = dataset.target().column(target).orElse(null);
            if (source == null) { // device_id from the envelope
                sourceIndex[i] = -1;
                sourceName[i] = target;
                continue;
            }
            sourceName[i] = source;
            Integer index = byName.get(normalize(source));
            sourceIndex[i] = index == null ? -2 : index;
            if (index == null) {
                missing.add(source);
                if (required[i]) {
                    missingRequired.add(source);
                }
            }
        }
        if (!missingRequired.isEmpty() || missing.size() == mapping.columns().size()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("missingColumns", missingRequired.isEmpty() ? missing : missingRequired);
            details.put("expectedColumns", List.copyOf(mapping.columns().keySet()));
            // a header of a binary or hostile file can hold thousands of long "columns": the report shows a few
            List<String> found = foundForReport(header);
            details.put("foundColumns", found);
            if (found.size() < header.size()) {
                details.put("foundColumnsTotal", header.size());
            }
            throw new InputRejectedException(
                    (missingRequired.isEmpty()
                                    ? "the header matches none of the columns of mapping '" + dataset.name() + "'"
                                    : "the header lacks required column(s) "
                                            + String.join(", ", quoted(missingRequired)))
                            + "; expected "
                            + String.join(", ", quoted(mapping.columns().keySet()))
                            + "; found " + String.join(", ", quoted(found))
                            + (found.size() < header.size()
                                    ? " (first " + found.size() + " of " + header.size() + ")"
                                    : ""),
                    details);
        }
        mapping.source().skipRowsWhere().forEach((column, values) -> {
            Integer index = byName.get(normalize(column));
            if (index != null) {
                skipWhere.put(index, values);
            }
        });
    }

    /** Header index to source column name, for the columns read as numbers (what decides a decimal mark). */
    public Map<Integer, String> numericColumns() {
        Map<Integer, String> numeric = new LinkedHashMap<>();
        for (int i = 0; i < sourceIndex.length; i++) {
            if (sourceIndex[i] >= 0
                    && (coercions[i] == Coercion.FLOAT
                            || coercions[i] == Coercion.DECIMAL
                            || coercions[i] == Coercion.INT)) {
                numeric.put(sourceIndex[i], sourceName[i]);
            }
        }
        return numeric;
    }

    /** Summary rows (totals, averages) that the mapping's {@code skip_rows_where} names. */
    public boolean isSummaryRow(RawRecord record) {
        for (var entry : skipWhere.entrySet()) {
            String value = record.value(entry.getKey());
            if (value != null && entry.getValue().contains(value.strip().toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    public StagedRow apply(RawRecord record) {
        Object[] data = new Object[sourceIndex.length];
        List<RecordError> errors = null;
        for (int i = 0; i < sourceIndex.length; i++) {
            String raw = sourceIndex[i] == -1 ? deviceId : sourceIndex[i] < 0 ? null : record.value(sourceIndex[i]);
            Object value;
            try {
                value = sourceIndex[i] == -1 ? deviceId : coercer.coerce(coercions[i], raw);
            } catch (CoercionException e) {
                errors = add(errors, new RecordError(record.row(), sourceName[i], raw, "type", e.getMessage()));
                continue;
            }
            data[i] = value;
            if (value == null) {
                if (required[i]) {
                    errors = add(
                            errors,
                            new RecordError(
                                    record.row(),
                                    sourceName[i],
                                    raw,
                                    "required",
                                    "a value is required for "
                                            + dataset.loadColumns().get(i)));
                    continue;
                }
            } else if (constraints[i] != null) {
                errors = check(constraints[i], value, record.row(), sourceName[i], raw, errors);
            }
            Optional<String> refused = targetColumns[i] == null ? Optional.empty() : targetColumns[i].refuses(value);
            if (refused.isPresent()) {
                errors = add(
                        errors,
                        new RecordError(
                                record.row(),
                                sourceName[i],
                                raw,
                                "column",
                                dataset.loadColumns().get(i) + ": " + refused.get()));
            }
        }
        return new StagedRow(record.row(), record.values(), data, errors == null ? List.of() : errors);
    }

    private static List<RecordError> check(
            Mapping.Constraint c, Object value, long row, String column, String raw, List<RecordError> errors) {
        if (value instanceof Number number) {
            double v = number.doubleValue();
            if (c.min() != null && v < c.min()) {
                errors = add(
                        errors,
                        new RecordError(
                                row,
                                column,
                                raw,
                                "min",
                                "must be at least " + plain(c.min()) + ", found " + raw.strip()));
            }
            if (c.max() != null && v > c.max()) {
                errors = add(
                        errors,
                        new RecordError(
                                row,
                                column,
                                raw,
                                "max",
                                "must be at most " + plain(c.max()) + ", found " + raw.strip()));
            }
        }
        if (c.pattern() == null && c.allowed() == null && c.minLength() == null && c.maxLength() == null) {
            return errors; // a range alone: no text needed (toString of a double per value showed in the profile)
        }
        String text = value.toString();
        if (c.pattern() != null && !c.pattern().matcher(text).matches()) {
            errors = add(
                    errors,
                    new RecordError(
                            row,
                            column,
                            raw,
                            "pattern",
                            "must match " + c.pattern().pattern()));
        }
        if (c.allowed() != null && !c.allowed().contains(text)) {
            errors = add(errors, new RecordError(row, column, raw, "allowed", "must be one of " + c.allowed()));
        }
        if (c.minLength() != null && text.length() < c.minLength()) {
            errors = add(
                    errors,
                    new RecordError(
                            row, column, raw, "min_length", "must have at least " + c.minLength() + " characters"));
        }
        if (c.maxLength() != null && text.length() > c.maxLength()) {
            errors = add(
                    errors,
                    new RecordError(
                            row, column, raw, "max_length", "must have at most " + c.maxLength() + " characters"));
        }
        return errors;
    }

    private static List<RecordError> add(List<RecordError> errors, RecordError error) {
        List<RecordError> list = errors == null ? new ArrayList<>(2) : errors;
        list.add(error);
        return list;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Names for a message; a binary file's "header" is cut short rather than pasted whole. */
    /** At most {@value #MAX_REPORTED_COLUMNS} found column names of at most 100 characters, for reports and logs. */
    static final int MAX_REPORTED_COLUMNS = 50;

    static List<String> foundForReport(List<String> header) {
        return header.stream()
                .limit(MAX_REPORTED_COLUMNS)
                .map(name -> name.length() > 100 ? name.substring(0, 100) + "..." : name)
                .toList();
    }

    private static List<String> quoted(java.util.Collection<String> names) {
        List<String> out = names.stream()
                .limit(40)
                .map(s -> "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'")
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        if (names.size() > 40) {
            out.add("... (" + names.size() + " columns)");
        }
        return out;
    }

    static String normalize(String header) {
        return header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }
}
