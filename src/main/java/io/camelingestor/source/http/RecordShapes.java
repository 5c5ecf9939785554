package io.camelingestor.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelingestor.core.InputRejectedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one page of an API's response into flat rows (one JSON object per row), whatever shape the API
 * answers in:
 *
 * <ul>
 *   <li>{@code records}: an array of objects, one per row; nested objects become {@code parent.child} keys
 *       (FusionSolar's {@code dataItemMap});
 *   <li>{@code columns}: an object of parallel arrays sharing the {@code timeField} array (Open-Meteo's
 *       {@code hourly}): row {@code i} takes element {@code i} of every array;
 *   <li>{@code variables}: an array with one item per variable and time (Tago's {@code {time, variable,
 *       value}}), pivoted into one row per time with a key per variable;
 *   <li>{@code variableMap}: an object of variables each holding an array of {@code {timestamp, value}}
 *       items (Airbeld's {@code sensors}), pivoted the same way.
 * </ul>
 *
 * A body that is not the expected shape is rejected with what was expected and found.
 */
final class RecordShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordShapes() {}

    /**
     * One page's rows, and how many items the API counted in it (what its page size counts: Tago's items
     * are one per variable and time, so a page of 100 items may be fewer rows).
     */
    record Page(List<ObjectNode> rows, int items) {}

    static Page page(HttpSourceSpec spec, JsonNode body, String what) {
        List<ObjectNode> rows = rows(spec, body, what);
        JsonNode node = body.at(pointer(spec.records().recordsPath()));
        return new Page(rows, node.isArray() ? node.size() : rows.size());
    }

    static List<ObjectNode> rows(HttpSourceSpec spec, JsonNode body, String what) {
        JsonNode node = body.at(pointer(spec.records().recordsPath()));
        if (node.isMissingNode() || node.isNull()) {
            throw shape(what, spec, "nothing at " + spec.records().recordsPath(), body);
        }
        return switch (spec.records().shape()) {
            case RECORDS -> records(spec, node, what, body);
            case COLUMNS -> columns(spec, node, what, body);
            case VARIABLES -> variables(spec, node, what, body);
            case VARIABLE_MAP -> variableMap(spec, node, what, body);
        };
    }

    /** {@code $}, {@code $.a.b} or {@code $.a.b[*]} as a JSON pointer. */
    static String pointer(String recordsPath) {
        String path = recordsPath.endsWith("[*]") ? recordsPath.substring(0, recordsPath.length() - 3) : recordsPath;
        if (path.equals("$")) {
            return "";
        }
        if (!path.startsWith("$.")) {
            throw new IllegalArgumentException("recordsPath '" + recordsPath + "' must be $ or $.key.key");
        }
        return "/" + path.substring(2).replace("~", "~0").replace("/", "~1").replace('.', '/');
    }

    private static List<ObjectNode> records(HttpSourceSpec spec, JsonNode node, String what, JsonNode body) {
        if (!node.isArray()) {
            throw shape(
                    what,
                    spec,
                    "an array of records at " + spec.records().recordsPath() + ", found " + node.getNodeType(),
                    body);
        }
        List<ObjectNode> rows = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw shape(
                        what,
                        spec,
                        "objects in the array at " + spec.records().recordsPath() + ", found " + item.getNodeType(),
                        body);
            }
            ObjectNode row = NODES.objectNode();
            flatten("", item, row);
            rows.add(row);
        }
        return rows;
    }

    private static void flatten(String prefix, JsonNode object, ObjectNode row) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isObject()) {
                flatten(prefix + field.getKey() + ".", field.getValue(), row);
            } else {
                row.set(prefix + field.getKey(), field.getValue());
            }
        }
    }

    private static List<ObjectNode> columns(HttpSourceSpec spec, JsonNode node, String what, JsonNode body) {
        JsonNode times = node.path(spec.records().timeField());
        if (!node.isObject() || !times.isArray()) {
            throw shape(
                    what,
                    spec,
                    "an object of arrays with a '" + spec.records().timeField() + "' array at "
                            + spec.records().recordsPath(),
                    body);
        }
        List<ObjectNode> rows = new ArrayList<>(times.size());
        for (JsonNode time : times) {
            ObjectNode row = NODES.objectNode();
            row.set(spec.records().timeField(), time);
            rows.add(row);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (column.getKey().equals(spec.records().timeField())
                    || !column.getValue().isArray()) {
                continue;
            }
            if (column.getValue().size() != times.size()) {
                throw shape(
                        what,
                        spec,
                        "'" + column.getKey() + "' to have as many values as '"
                                + spec.records().timeField() + "' (" + times.size() + "), found "
                                + column.getValue().size(),
                        body);
            }
            for (int i = 0; i < times.size(); i++) {
                rows.get(i).set(column.getKey(), column.getValue().get(i));
            }
        }
        return rows;
    }

    private static List<ObjectNode> variables(HttpSourceSpec spec, JsonNode node, String what, JsonNode body) {
        if (!node.isArray()) {
            throw shape(
                    what,
                    spec,
                    "an array of variable items at " + spec.records().recordsPath() + ", found " + node.getNodeType(),
                    body);
        }
        Map<String, ObjectNode> byTime = new LinkedHashMap<>();
        for (JsonNode item : node) {
            JsonNode time = item.path(spec.records().timeField());
            JsonNode variable = item.path(spec.records().variableField());
            if (!item.isObject() || time.isMissingNode() || !variable.isValueNode()) {
                throw shape(
                        what,
                        spec,
                        "items with '" + spec.records().timeField() + "', '"
                                + spec.records().variableField() + "' and '"
                                + spec.records().valueField() + "'",
                        body);
            }
            ObjectNode row = byTime.computeIfAbsent(
                    time.asText(), t -> NODES.objectNode().set(spec.records().timeField(), time));
            row.set(
                    variable.asText(),
                    item.path(spec.records().valueField()).isMissingNode()
                            ? NODES.nullNode()
                            : item.get(spec.records().valueField()));
        }
        return new ArrayList<>(byTime.values());
    }

    private static List<ObjectNode> variableMap(HttpSourceSpec spec, JsonNode node, String what, JsonNode body) {
        if (!node.isObject()) {
            throw shape(
                    what,
                    spec,
                    "an object of variables at " + spec.records().recordsPath() + ", found " + node.getNodeType(),
                    body);
        }
        Map<String, ObjectNode> byTime = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> variable = it.next();
            JsonNode values = variable.getValue().path(spec.records().valuesPath());
            if (!values.isArray()) {
                throw shape(
                        what,
                        spec,
                        "'" + variable.getKey() + "." + spec.records().valuesPath() + "' to be an array",
                        body);
            }
            for (JsonNode item : values) {
                JsonNode time = item.path(spec.records().itemTimeField());
                if (time.isMissingNode()) {
                    throw shape(
                            what,
                            spec,
                            "'" + spec.records().itemTimeField() + "' in every item of " + variable.getKey(),
                            body);
                }
                ObjectNode row = byTime.computeIfAbsent(time.asText(), t -> NODES.objectNode()
                        .set(spec.records().timeField(), time));
                row.set(
                        variable.getKey(),
                        item.path(spec.records().itemValueField()).isMissingNode()
                                ? NODES.nullNode()
                                : item.get(spec.records().itemValueField()));
            }
        }
        return new ArrayList<>(byTime.values());
    }

    private static InputRejectedException shape(String what, HttpSourceSpec spec, String expected, JsonNode body) {
        String excerpt = HttpCalls.excerpt(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new InputRejectedException(
                what + ": the response is not the expected shape ("
                        + spec.records().shape() + "): expected " + expected,
                Map.of("request", what, "expected", expected, "response", excerpt));
    }
}
