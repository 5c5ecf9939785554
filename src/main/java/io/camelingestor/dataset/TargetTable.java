package io.camelingestor.dataset;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** A table as the database describes it: what the mapping checks and the transformer guards against. */
public record TargetTable(String name, Map<String, Column> columns) {

    public TargetTable {
        columns = Map.copyOf(columns);
    }

    public Optional<Column> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /**
     * @param type {@code information_schema} data type ({@code numeric}, {@code integer}, {@code text}, ...)
     * @param precision numeric precision, for {@code numeric(p,s)}; null otherwise
     * @param scale numeric scale; null otherwise
     * @param maxLength character maximum length, for {@code varchar(n)}; null otherwise
     * @param castType the type as SQL names it in a cast, quoted ({@code "pg_catalog"."timestamptz"}): what a
     *     staged text value is cast to when it is loaded
     */
    public record Column(
            String name,
            String type,
            boolean nullable,
            boolean hasDefault,
            Integer precision,
            Integer scale,
            Integer maxLength,
            String castType) {

        /**
         * What the database would refuse for this value and why, so that it becomes a record error instead
         * of failing the whole load; empty when the value fits.
         */
        public Optional<String> refuses(Object value) {
            if (value == null) {
                return nullable || hasDefault
                        ? Optional.empty()
                        : Optional.of("a value is required (column is NOT NULL)");
            }
            switch (type) {
                case "numeric" -> {
                    if (precision != null && value instanceof Number n) {
                        BigDecimal limit = BigDecimal.TEN.pow(precision - (scale == null ? 0 : scale));
                        BigDecimal v = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
                        if (v.abs().compareTo(limit) >= 0) {
                            return Optional.of(
                                    "does not fit numeric(" + precision + "," + scale + "): must be under " + limit);
                        }
                    }
                }
                case "integer" -> {
                    if (value instanceof Long l && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
                        return Optional.of("does not fit an integer column");
                    }
                }
                case "smallint" -> {
                    if (value instanceof Long l && (l < Short.MIN_VALUE || l > Short.MAX_VALUE)) {
                        return Optional.of("does not fit a smallint column");
                    }
                }
                case "character varying", "character" -> {
                    if (maxLength != null && value instanceof String s && s.length() > maxLength) {
                        return Optional.of("longer than the column's " + maxLength + " characters");
                    }
                }
                default -> {}
            }
            return Optional.empty();
        }
    }
}
