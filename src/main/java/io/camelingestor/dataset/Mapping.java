package io.camelingestor.dataset;

import io.camelingestor.coerce.Coercion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset mapping as read from {@code mappings/<dataset>.yaml}: the original ingestor's keys plus the
 * optional {@code source:} and {@code quality:} extensions. Checked for shape by {@link MappingLoader};
 * checked against the database by {@link MappingRegistry}.
 *
 * @param columns source column (as in the file header) to target column, in file order
 * @param coercions target column to type; a column without one is a string
 * @param required target columns that must have a value
 * @param constraints target column to its rules
 */
public record Mapping(
        Path file,
        String dataset,
        String granularity,
        Map<String, String> columns,
        Map<String, Coercion> coercions,
        List<String> required,
        Map<String, Constraint> constraints,
        Conflict conflict,
        String targetTable,
        String stagingTable,
        SourceOptions source,
        double minValidRatio) {

    public Mapping {
        Objects.requireNonNull(dataset, "dataset");
        columns = ordered(columns);
        coercions = ordered(coercions);
        required = List.copyOf(required);
        constraints = ordered(constraints);
        Objects.requireNonNull(conflict, "conflict");
        Objects.requireNonNull(targetTable, "targetTable");
        Objects.requireNonNull(stagingTable, "stagingTable");
        Objects.requireNonNull(source, "source");
    }

    /** Map.copyOf would lose the file's order, which load columns and messages follow. */
    private static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }

    public Coercion coercion(String targetColumn) {
        return coercions.getOrDefault(targetColumn, Coercion.STRING);
    }

    /** How rows are merged into the target table. */
    public enum Strategy {
        UPDATE,
        IGNORE,
        FAIL,
        APPEND
    }

    public record Conflict(Strategy strategy, List<String> onColumns, List<String> updateColumns) {
        public Conflict {
            Objects.requireNonNull(strategy, "strategy");
            onColumns = List.copyOf(onColumns);
            updateColumns = List.copyOf(updateColumns);
        }
    }

    /** Rules on one target column; null means the rule is not set. */
    public record Constraint(
            Double min,
            Double max,
            java.util.regex.Pattern pattern,
            List<String> allowed,
            Integer minLength,
            Integer maxLength) {}
}
