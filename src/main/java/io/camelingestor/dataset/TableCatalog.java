package io.camelingestor.dataset;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads table definitions from the database, to check mappings against what really exists. */
@Component
public class TableCatalog {

    private final JdbcTemplate jdbc;

    public TableCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<TargetTable> describe(String table) {
        Map<String, TargetTable.Column> columns = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT column_name, data_type, is_nullable = 'YES' AS nullable, column_default IS NOT NULL AS has_default,
                       numeric_precision, numeric_scale, character_maximum_length, udt_schema, udt_name
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ?
                ORDER BY ordinal_position
                """,
                rs -> {
                    String name = rs.getString(1);
                    columns.put(
                            name,
                            new TargetTable.Column(
                                    name,
                                    rs.getString(2),
                                    rs.getBoolean(3),
                                    rs.getBoolean(4),
                                    (Integer) rs.getObject(5),
                                    (Integer) rs.getObject(6),
                                    (Integer) rs.getObject(7),
                                    castType(rs.getString(8), rs.getString(9))));
                },
                table);
        return columns.isEmpty() ? Optional.empty() : Optional.of(new TargetTable(table, columns));
    }

    /** Null for a type whose name is not a plain identifier: a mapping cannot load such a column. */
    private static String castType(String schema, String name) {
        return SqlIdentifiers.isPlain(schema) && SqlIdentifiers.isPlain(name)
                ? SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(name)
                : null;
    }

    /** Whether a unique index without predicate covers exactly these columns (what ON CONFLICT needs). */
    public boolean hasUniqueKey(String table, List<String> columns) {
        List<List<String>> keys = jdbc.query(
                """
                SELECT array_agg(a.attname::text) AS cols
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
                WHERE n.nspname = current_schema() AND c.relname = ? AND i.indisunique AND i.indpred IS NULL
                GROUP BY i.indexrelid
                """,
                (rs, n) -> List.of((String[]) rs.getArray(1).getArray()),
                table);
        Set<String> wanted = new HashSet<>(columns);
        return keys.stream().anyMatch(key -> new HashSet<>(key).equals(wanted));
    }
}
