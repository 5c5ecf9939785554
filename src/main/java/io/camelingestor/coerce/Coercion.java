package io.camelingestor.coerce;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The types a mapping's {@code coercions:} may name. */
public enum Coercion {
    STRING,
    INT,
    FLOAT,
    DECIMAL,
    BOOL,
    DATE,
    DATETIME,
    TIMESTAMP,
    /** Milliseconds since the epoch, as FusionSolar sends them. */
    DATETIME_MS;

    public static Optional<Coercion> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "string", "str", "text" -> Optional.of(STRING);
            case "int", "integer" -> Optional.of(INT);
            case "float", "double", "number" -> Optional.of(FLOAT);
            case "decimal", "numeric" -> Optional.of(DECIMAL);
            case "bool", "boolean" -> Optional.of(BOOL);
            case "date" -> Optional.of(DATE);
            case "datetime" -> Optional.of(DATETIME);
            case "timestamp" -> Optional.of(TIMESTAMP);
            case "datetime_ms", "epoch_ms" -> Optional.of(DATETIME_MS);
            default -> Optional.empty();
        };
    }

    public static String names() {
        return Arrays.stream(values())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("|"));
    }
}
